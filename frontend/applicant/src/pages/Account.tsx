import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Account() {
  return <Page title="Account">{null}</Page>;
}
