import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function VerifyEmail() {
  return <Page title="VerifyEmail">{null}</Page>;
}
