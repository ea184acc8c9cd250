import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Home() {
  return <Page title="Home">{null}</Page>;
}
