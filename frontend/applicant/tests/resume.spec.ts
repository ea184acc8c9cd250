// Must show 3: a draft is saved step by step and found again, whole, from
// another browser (a new context: no cookie, no storage); and two tabs
// saving the same step do not overwrite each other: the second is told, in a
// visible alert, that the application changed in another window, and keeps
// what was typed.
import { test, expect, type Browser, type Page } from "@playwright/test";
import * as A from "./support/api";
import { PASSWORD } from "./support/records";
import { sessionOf } from "./support/browser";

/** The national address base is not reachable from the tests: it finds nothing. */
async function noAddressBase(page: Page): Promise<void> {
  await page.route(/^https:\/\/api-adresse\.data\.gouv\.fr\//, (route) =>
    route.fulfill({ json: { type: "FeatureCollection", features: [] } }),
  );
}

async function logIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: A.BASE });
  const page = await context.newPage();
  await noAddressBase(page);
  await page.goto("/login");
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/account/);
  return page;
}

async function stepShown(page: Page): Promise<void> {
  await expect(page.getByRole("button", { name: "Enregistrer et continuer" })).toBeVisible();
}

test("a draft saved and left is found again, whole, from another browser", async ({ browser }) => {
  const { email, api } = await A.account("resume");
  const { id } = await A.draft(api);

  // Step 1 in part (no phone): save and quit.
  const first = await logIn(browser, email);
  await first.goto(`/applications/${id}/steps/personal`);
  await stepShown(first);
  await first.getByRole("radio", { name: "Célibataire" }).check({ force: true });
  await first.getByLabel(/^Numéro et voie/).fill("5 rue Victor Hugo");
  await first.getByLabel(/^Code postal/).fill("69002");
  await first.getByLabel(/^Commune/).fill("Lyon");
  await first.getByRole("button", { name: "Enregistrer et quitter" }).click();
  await expect(first).toHaveURL(/\/account\?status=saved/);

  // Step 2 in part, saved by going on to step 3; then the browser is closed mid-step.
  await first.goto(`/applications/${id}/steps/studies`);
  await stepShown(first);
  await first.getByLabel(/^Nom de l’établissement/).fill("Université Claude Bernard Lyon 1");
  await first.getByRole("button", { name: "Enregistrer et continuer" }).click();
  await expect(first).toHaveURL(new RegExp(`/applications/${id}/steps/resources`));
  await stepShown(first);
  await first.getByLabel(/^Explications/).fill("Ce texte n’est pas enregistré.");
  await first.context().close();

  // What the API kept.
  const saved = await A.application(api, id);
  expect(saved.personal.family_situation).toBe("single");
  expect(saved.personal.address).toMatchObject({ line1: "5 rue Victor Hugo", postcode: "69002", city: "Lyon" });
  expect(saved.personal.phone).toBeNull();
  expect(saved.studies.institution_name).toBe("Université Claude Bernard Lyon 1");

  // Another browser: log in again, find the draft, and every saved field in it.
  const second = await logIn(browser, email);
  await second.getByRole("link", { name: "Continuer ma demande" }).first().click();
  await expect(second).toHaveURL(new RegExp(`/applications/${id}/`));
  await second.goto(`/applications/${id}/steps/personal`);
  await stepShown(second);
  await expect(second.getByRole("radio", { name: "Célibataire" })).toBeChecked();
  await expect(second.getByLabel(/^Numéro et voie/)).toHaveValue("5 rue Victor Hugo");
  await expect(second.getByLabel(/^Code postal/)).toHaveValue("69002");
  await expect(second.getByLabel(/^Commune/)).toHaveValue("Lyon");
  await expect(second.getByLabel(/^Téléphone mobile/)).toHaveValue("");
  await second.goto(`/applications/${id}/steps/studies`);
  await stepShown(second);
  await expect(second.getByLabel(/^Nom de l’établissement/)).toHaveValue("Université Claude Bernard Lyon 1");
  await second.context().close();
});

test("two tabs save the same step: the second is told, keeps its input, overwrites nothing", async ({ browser }) => {
  const { email, api } = await A.account("conflict");
  const { id } = await A.draft(api);
  await A.saveStep(api, id, "personal", A.PERSONAL);

  const context = await browser.newContext({ baseURL: A.BASE, storageState: await sessionOf(browser, email, PASSWORD) });
  const [one, two] = [await context.newPage(), await context.newPage()];
  for (const page of [one, two]) {
    await noAddressBase(page);
    await page.goto(`/applications/${id}/steps/personal`);
    await stepShown(page);
    await expect(page.getByLabel(/^Téléphone mobile/)).toHaveValue(A.PERSONAL.phone!);
  }

  // The first tab saves a new phone number and goes on.
  await one.getByLabel(/^Téléphone mobile/).fill("07 11 22 33 44");
  await one.getByRole("button", { name: "Enregistrer et continuer" }).click();
  await expect(one).toHaveURL(new RegExp(`/applications/${id}/steps/studies`));

  // The second tab, still on the old version, saves another change.
  await two.getByLabel(/^Complément d’adresse/).fill("Appartement 42");
  await two.getByRole("button", { name: "Enregistrer et continuer" }).click();
  const alert = two.getByRole("alert").filter({ hasText: /modifiée dans une autre fenêtre/ });
  await expect(alert).toBeVisible();
  await expect(two).toHaveURL(new RegExp(`/applications/${id}/steps/personal`));
  await expect(two.getByLabel(/^Complément d’adresse/)).toHaveValue("Appartement 42");

  // Nothing was silently overwritten: the first save stands, the second was refused.
  const kept = await A.application(api, id);
  // (The API keeps phone numbers in E.164: +33711223344.)
  expect(kept.personal.phone?.replace(/\D/g, "")).toMatch(/711223344$/);
  expect(kept.personal.address.line2).toBe(A.PERSONAL.address!.line2);

  // Reloading shows the latest version, the first tab's.
  await alert.getByRole("button", { name: "Recharger la dernière version" }).click();
  await expect(two.getByLabel(/^Téléphone mobile/)).toHaveValue("07 11 22 33 44");
  await expect(two.getByLabel(/^Complément d’adresse/)).toHaveValue(A.PERSONAL.address!.line2!);
  await context.close();
});
