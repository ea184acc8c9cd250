import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Confirmation() {
  return <Page title="Confirmation">{null}</Page>;
}
