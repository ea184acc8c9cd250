import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function ResetPassword() {
  return <Page title="ResetPassword">{null}</Page>;
}
