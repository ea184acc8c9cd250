import { Page } from "../../ui/Page";

// To be written: see src/routes.tsx.
export default function Complement() {
  return <Page title="Complement">{null}</Page>;
}
