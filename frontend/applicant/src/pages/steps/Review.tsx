import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Review() {
  return <Page title="Review">{null}</Page>;
}
