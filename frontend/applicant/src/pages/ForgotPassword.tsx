import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function ForgotPassword() {
  return <Page title="ForgotPassword">{null}</Page>;
}
