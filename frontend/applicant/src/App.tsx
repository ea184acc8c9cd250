import { Layout } from "./ui/Layout";
import { ROUTES } from "./routes";
import { match, Router } from "./router";
import { RequireLogin, SessionProvider } from "./session";
import NotFound from "./pages/NotFound";

function pick(pathname: string) {
  for (const { path, page: Page, login } of ROUTES) {
    const params = match(path, pathname);
    if (params) {
      const page = <Page key={path} />;
      return { params, element: login ? <RequireLogin>{page}</RequireLogin> : page };
    }
  }
  return { params: {}, element: <NotFound /> };
}

export function App() {
  return (
    <Router
      pick={(pathname) => {
        const { params, element } = pick(pathname);
        return {
          params,
          element: (
            <SessionProvider>
              <Layout>{element}</Layout>
            </SessionProvider>
          ),
        };
      }}
    />
  );
}
