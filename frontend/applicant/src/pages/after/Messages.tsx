import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Messages() {
  return <Page title="Messages">{null}</Page>;
}
