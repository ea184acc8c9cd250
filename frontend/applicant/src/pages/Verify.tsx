import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Verify() {
  return <Page title="Verify">{null}</Page>;
}
