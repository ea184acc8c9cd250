// Must show 1: a new applicant's whole journey at 360 px, in the browser:
// the eligibility check, activation by residence permit (the demo record
// DEMOP00RENEW, its dates read from the server's banner), the verification
// link from the local mailbox, login, the draft, steps 1 to 4 with real file
// uploads (one refused, its reason shown), the e-photo code, the four
// validations, submission, the receipt downloaded (a PDF carrying the code
// shown) and checked on the public page; then the préfecture (through the
// API) asks for a complement, which the applicant answers by replacing the
// document, and a message to the préfecture. Every step is screenshotted
// under test-results/screens/.
import { test, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import * as A from "./support/api";
import { PASSWORD } from "./support/records";
import { screen } from "./support/browser";
import { pdfText } from "./support/pdf";

test.use({ viewport: { width: 360, height: 800 }, locale: "fr-FR", acceptDownloads: true });

const RECORD = "DEMOP00RENEW";

/** The id of a DocumentUpload's file input (StepFrame's fieldId). */
const inputOf = (kind: string) => `#f-${kind.replace(/[^A-Za-z0-9]+/g, "-")}`;

async function continueTo(page: Page, path: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Enregistrer et continuer" }).click();
  await expect(page).toHaveURL(path);
  await expect(page.locator("main h1")).toBeVisible();
}

test("a new applicant files online, then answers a complement request", async ({ page }) => {
  test.setTimeout(180_000);
  const email = `journey.${Date.now()}@e2e.example.org`;
  const record = A.demo().records[RECORD];
  expect(record, `the banner lists ${RECORD}`).toBeDefined();
  let shot = 0;
  const snap = (name: string) => screen(page, ++shot, name);

  // The national address base is not reachable from the tests: it finds nothing.
  await page.route(/^https:\/\/api-adresse\.data\.gouv\.fr\//, (route) =>
    route.fulfill({ json: { type: "FeatureCollection", features: [] } }),
  );

  await test.step("home and eligibility check", async () => {
    await page.goto("/");
    await expect(page.locator("main h1")).toBeVisible();
    await snap("home");
    await page.getByLabel(/^Vous détenez/).selectOption({ label: "Titre de séjour « étudiant »" });
    await page.getByLabel(/^Date de fin de validité/).fill(record.valid_until);
    await page.getByLabel(/^Code postal de votre adresse/).fill("69003");
    await page.getByRole("button", { name: "Vérifier", exact: true }).click();
    await expect(page.getByText("Vous pouvez faire votre demande en ligne")).toBeVisible();
    await expect(page.getByText("Vous êtes dans les délais")).toBeVisible();
    await snap("eligibility");
    await page.getByRole("link", { name: "Activez votre compte avec votre titre de séjour" }).click();
    await expect(page).toHaveURL(/\/activate\/permit/);
  });

  await test.step("activation by residence permit", async () => {
    await page.getByLabel(/^Numéro du titre de séjour/).fill(RECORD);
    await page.getByLabel(/^Début de validité/).fill(record.valid_from);
    await page.getByLabel(/^Fin de validité/).fill(record.valid_until);
    await page.getByLabel(/^Adresse électronique/).fill(email);
    await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
    await snap("activate");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.getByText("Consultez votre messagerie")).toBeVisible();
    await snap("activation-sent");
  });

  await test.step("the verification link from the local mailbox", async () => {
    await A.mailedLink(email, "/verify-email"); // Delivered: the outbox is asynchronous.
    await page.goto("/mailbox");
    await page.getByRole("listitem").filter({ hasText: email }).getByRole("link", { name: /Confirmez votre adresse/ }).click();
    await expect(page.locator("h1")).toContainText("Confirmez votre adresse");
    await snap("mailbox-email");
    await page.getByRole("link", { name: /\/verify-email\?token=/ }).click();
    await expect(page.getByText("Adresse électronique confirmée")).toBeVisible();
    await snap("email-verified");
  });

  await test.step("log in", async () => {
    await page.getByRole("link", { name: "Se connecter" }).last().click();
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel(/^Adresse électronique/).fill(email);
    await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
    await snap("login");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page).toHaveURL(/\/account/);
    await expect(page.getByRole("button", { name: "Commencer ma demande" })).toBeVisible();
    await snap("account");
  });

  const { api } = await A.login(email, PASSWORD);
  let id = "";

  await test.step("the draft and step 1", async () => {
    await page.getByRole("button", { name: "Commencer ma demande" }).click();
    await expect(page).toHaveURL(/\/applications\/[^/]+\/steps\/personal/);
    id = /\/applications\/([^/]+)\//.exec(page.url())![1];
    await page.getByRole("radio", { name: "Célibataire" }).check({ force: true });
    await page.getByRole("group", { name: /conjoint\(e\) ou partenaire vit/ }).getByRole("radio", { name: "Non" }).check({ force: true });
    await page.getByLabel(/^Numéro et voie/).fill("12 rue de la République");
    await page.getByLabel(/^Code postal/).fill("69003");
    await page.getByLabel(/^Commune/).fill("Lyon");
    await page.getByLabel(/^Téléphone mobile/).fill("06 12 34 56 78");
    await snap("step1-personal");
    await continueTo(page, /\/steps\/studies/);
  });

  await test.step("step 2", async () => {
    await page.getByLabel(/^Type d’établissement/).selectOption({ label: "Université" });
    await page.getByLabel(/^Nom de l’établissement/).fill("Université Lumière Lyon 2");
    await page.getByRole("radio", { name: "Master", exact: true }).check({ force: true });
    await page.getByLabel(/^Niveau d’études/).selectOption({ label: "Master 1re année (M1)" });
    await page.getByLabel(/^Discipline/).selectOption({ label: "Informatique" });
    await page.getByLabel(/^Année universitaire/).fill("2026-2027");
    await snap("step2-studies");
    await continueTo(page, /\/steps\/resources/);
  });

  await test.step("step 3", async () => {
    if ((await page.getByLabel(/^Nature de la ressource/).count()) === 0) await page.getByRole("button", { name: "Ajouter une ressource" }).click();
    await page.getByLabel(/^Nature de la ressource/).first().selectOption({ label: "Bourse" });
    await page.getByLabel(/^Montant par mois/).first().fill("700");
    await page.getByRole("group", { name: /hébergé\(e\) gratuitement/ }).getByRole("radio", { name: "Non" }).check({ force: true });
    await snap("step3-resources");
    await continueTo(page, /\/steps\/documents/);
  });

  await test.step("step 4: uploads (one refused) and the e-photo code", async () => {
    const required = (await A.application(api, id)).documents.required;
    expect(required.length).toBeGreaterThan(0);
    // A text file named .pdf: sent, then refused by the check of its content.
    const first = page.locator(inputOf(required[0]));
    await first.setInputFiles({ name: "passeport.pdf", mimeType: "application/pdf", buffer: Buffer.from("Ceci n'est pas un PDF.\n".repeat(20)) });
    await expect(page.getByText(/ni un PDF, ni une image JPEG ou PNG/)).toBeVisible();
    await snap("step4-rejected");
    for (const kind of required) {
      await page.locator(inputOf(kind)).setInputFiles({ name: `${kind}.pdf`, mimeType: "application/pdf", buffer: A.pdfBytes(kind) });
      await expect(page.locator(`${inputOf(kind)}-group`).getByText("Accepté", { exact: true })).toBeVisible();
    }
    await expect(page.getByText("Toutes les pièces demandées ont été acceptées.")).toBeVisible();
    await page.getByLabel(/^Code e-photo/).fill(A.demo().ephotoValid);
    await snap("step4-documents");
    await continueTo(page, /\/review/);
  });

  await test.step("review: the four validations, then submission", async () => {
    await expect(page.getByText("0/4 rubriques validées")).toBeVisible();
    for (let n = 1; n <= 4; n++) {
      // Each section is a fold of the accordion: open it, read it, validate it.
      const fold = page.getByRole("button", { name: new RegExp(`^${n}\\. `) });
      if ((await fold.getAttribute("aria-expanded")) !== "true") await fold.click();
      await page.getByRole("button", { name: "J’ai vérifié cette rubrique : valider" }).first().click();
      await expect(page.getByText(`${n}/4 rubriques validées`)).toBeVisible();
    }
    await snap("review");
    await page.getByRole("button", { name: "Déposer ma demande" }).click();
    await expect(page).toHaveURL(/\/confirmation/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Votre demande a été déposée");
    await snap("confirmation");
  });

  let code = "";
  await test.step("the receipt downloaded and its code checked", async () => {
    code = /Code de vérification : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(await page.locator("main").innerText())?.[1] ?? "";
    expect(code, "the confirmation page shows the verification code").not.toBe("");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Attestation de dépôt \(en français\)/ }).click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(pdf);
    expect(text, "the receipt carries the code shown").toContain(`Code de vérification : ${code}`);
    expect(text).toContain("NGUYEN");
    await page.getByRole("link", { name: "Vérifier un document" }).first().click();
    await expect(page).toHaveURL(/\/verify\//);
    await expect(page.getByText("Document authentique")).toBeVisible();
    await snap("verify");
  });

  await test.step("the préfecture asks to replace the passport (API)", async () => {
    const agent = await A.agentOf(await A.application(api, id));
    const asked = await A.requestComplement(agent, id, "passport", "La page d’identité est illisible.");
    expect(asked.application.status).toBe("complement_requested");
  });

  await test.step("the applicant answers the complement request", async () => {
    await page.goto(`/applications/${id}`);
    await expect(page.getByText("La préfecture vous demande des compléments")).toBeVisible();
    await snap("case-complement");
    await page.getByRole("link", { name: "Répondre à la demande de compléments" }).first().click();
    await expect(page).toHaveURL(/\/complement/);
    await expect(page.getByText("La page d’identité est illisible.")).toBeVisible();
    await page.getByRole("radio", { name: "Envoyer un nouveau document" }).check({ force: true });
    await page.locator("main input[type=file]").first().setInputFiles({ name: "passeport-lisible.pdf", mimeType: "application/pdf", buffer: A.pdfBytes("passeport lisible") });
    await expect(page.getByText("Réponse enregistrée : nouveau document")).toBeVisible();
    await snap("complement");
    await page.getByRole("button", { name: "Valider et envoyer" }).click();
    await expect(page.getByText("Votre réponse a été envoyée")).toBeVisible();
    await snap("complement-sent");
  });

  await test.step("a message to the préfecture", async () => {
    await page.goto(`/applications/${id}/messages`);
    await expect(page.locator("main h1")).toContainText("Messages avec la préfecture");
    const text = "Bonjour, je vous ai envoyé un passeport lisible. Merci.";
    await page.getByLabel(/^Votre message/).fill(text);
    await page.getByRole("button", { name: "Envoyer le message" }).click();
    await expect(page.getByText("Votre message a été envoyé à la préfecture.")).toBeVisible();
    await expect(page.getByText(text)).toBeVisible();
    await snap("messages");

    // What the préfecture now sees.
    const view = await A.application(api, id);
    expect(view.status).toBe("under_review");
    expect(view.messages.map((m) => m.text)).toContain(text);
    expect(view.complements[0]?.items[0]?.answer?.type).toBe("replace");
  });
});
