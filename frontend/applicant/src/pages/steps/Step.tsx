import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Step() {
  return <Page title="Step">{null}</Page>;
}
