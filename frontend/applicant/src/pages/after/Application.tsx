import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Application() {
  return <Page title="Application">{null}</Page>;
}
