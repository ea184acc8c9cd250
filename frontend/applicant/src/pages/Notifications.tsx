import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Notifications() {
  return <Page title="Notifications">{null}</Page>;
}
