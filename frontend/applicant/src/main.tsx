import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Link, type LinkProps } from "./router";
import { App } from "./App";
import { initialLang, LangProvider, useLang } from "./i18n";
import "./site.css";

startReactDsfr({ defaultColorScheme: "light", Link, useLang: () => useLang().lang });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: (props: LinkProps) => React.JSX.Element;
  }
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <LangProvider initial={initialLang()}>
      <App />
    </LangProvider>
  </StrictMode>,
);
