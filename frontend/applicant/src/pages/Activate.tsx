import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Activate() {
  return <Page title="Activate">{null}</Page>;
}
