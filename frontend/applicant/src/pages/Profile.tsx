import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Profile() {
  return <Page title="Profile">{null}</Page>;
}
