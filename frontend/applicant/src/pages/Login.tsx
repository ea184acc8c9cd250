import { Page } from "../ui/Page";

// To be written: see src/routes.tsx.
export default function Login() {
  return <Page title="Login">{null}</Page>;
}
