// Supporting documents: the names of their kinds (the same words as the
// receipt's PDF), what to upload for each, why the server may refuse a file,
// and the checks the browser makes before sending one (the server checks the
// bytes again: these only save a useless upload).
import type { Schemas } from "../api/client";
import type { Lang, Text } from "../i18n";

export type DocumentKind = Schemas["DocumentKind"];
export type DocumentView = Schemas["DocumentView"];
export type FileType = Schemas["FileType"];
export type RejectionReason = Schemas["RejectionReason"];

/** The name of each kind, as printed on the receipt (shared/src/pdf/texts.rs). */
export const KIND_LABELS: Record<DocumentKind, Text> = {
  passport: { fr: "Passeport (pages d’identité)", en: "Passport (identity pages)" },
  current_visa_or_permit: { fr: "Visa ou titre de séjour en cours", en: "Current visa or residence permit" },
  proof_of_address: { fr: "Justificatif de domicile de moins de 6 mois", en: "Proof of address less than 6 months old" },
  host_certificate: { fr: "Attestation d’hébergement", en: "Host’s certificate of accommodation" },
  host_id: { fr: "Pièce d’identité de l’hébergeant", en: "Host’s identity document" },
  host_proof_of_address: { fr: "Justificatif de domicile de l’hébergeant", en: "Proof of the host’s address" },
  republic_commitment: {
    fr: "Contrat d’engagement à respecter les principes de la République",
    en: "Commitment to respect the principles of the Republic",
  },
  enrolment_certificate: { fr: "Certificat d’inscription pour l’année universitaire", en: "Enrolment certificate for the academic year" },
  proof_of_resources: { fr: "Justificatif de ressources", en: "Proof of resources" },
  transcripts: { fr: "Relevés de notes de l’année précédente", en: "Transcripts of the previous year" },
  attachment: { fr: "Pièce jointe", en: "Attachment" },
  refusal_decision: { fr: "Décision de refus signée par la préfecture", en: "Refusal decision signed by the prefecture" },
};

/** What to upload, in a sentence, under each kind's label. */
export const KIND_HINTS: Record<DocumentKind, Text> = {
  passport: {
    fr: "Les pages avec votre photo, votre identité et les dates de validité.",
    en: "The pages with your photo, your identity and the validity dates.",
  },
  current_visa_or_permit: {
    fr: "Recto et verso de votre titre de séjour, ou la page du visa.",
    en: "Both sides of your residence permit, or the visa page.",
  },
  proof_of_address: {
    fr: "Facture d’électricité, de gaz, d’eau, de téléphone fixe ou d’internet, quittance de loyer ou attestation d’assurance habitation, à votre nom.",
    en: "Electricity, gas, water, landline or internet bill, rent receipt or home insurance certificate, in your name.",
  },
  host_certificate: {
    fr: "Datée et signée par la personne qui vous héberge gratuitement.",
    en: "Dated and signed by the person who houses you free of charge.",
  },
  host_id: { fr: "Sa carte d’identité, son passeport ou son titre de séjour.", en: "Their identity card, passport or residence permit." },
  host_proof_of_address: {
    fr: "Un justificatif de moins de 6 mois au nom de la personne qui vous héberge.",
    en: "A proof less than 6 months old in the name of the person who houses you.",
  },
  republic_commitment: {
    fr: "Le contrat daté et signé de votre main.",
    en: "The contract, dated and signed by you.",
  },
  enrolment_certificate: {
    fr: "Délivré par votre établissement pour l’année en cours ou à venir.",
    en: "Issued by your institution for the current or coming year.",
  },
  proof_of_resources: {
    fr: "Attestation de bourse, relevés bancaires, attestation de prise en charge ou bulletins de salaire.",
    en: "Scholarship certificate, bank statements, sponsorship certificate or payslips.",
  },
  transcripts: {
    fr: "Les relevés de notes ou l’attestation de réussite de l’année écoulée.",
    en: "The transcripts or the certificate of success of the past year.",
  },
  attachment: { fr: "Le fichier à joindre.", en: "The file to attach." },
  refusal_decision: { fr: "La décision signée, en PDF.", en: "The signed decision, as a PDF." },
};

/** Why the server refused a file, and what to do about it. */
export const REJECTION_TEXTS: Record<RejectionReason, Text> = {
  too_large: {
    fr: "Le fichier dépasse la taille maximale. Réduisez-le (numérisation en 150 ppp, compression) puis envoyez-le à nouveau.",
    en: "The file is larger than allowed. Make it smaller (scan at 150 dpi, compress it) and send it again.",
  },
  size_mismatch: {
    fr: "Le fichier reçu est incomplet. Envoyez-le à nouveau, de préférence avec une connexion stable.",
    en: "The file received is incomplete. Send it again, preferably on a steady connection.",
  },
  unsupported_content: {
    fr: "Le contenu du fichier n’est ni un PDF, ni une image JPEG ou PNG (un fichier renommé n’est pas accepté). Enregistrez ou exportez votre document en PDF, JPEG ou PNG puis envoyez-le à nouveau.",
    en: "The file’s content is not a PDF, JPEG or PNG (a renamed file is not accepted). Save or export your document as PDF, JPEG or PNG and send it again.",
  },
  type_mismatch: {
    fr: "Le contenu du fichier ne correspond pas à son extension (par exemple une image nommée « .pdf »). Donnez-lui la bonne extension ou exportez-le dans le bon format, puis envoyez-le à nouveau.",
    en: "The file’s content does not match its extension (for instance an image named “.pdf”). Give it the right extension or export it in the right format, then send it again.",
  },
};

/** The types accepted, with the extensions a file picker should offer. */
export const FILE_TYPES: Record<FileType, { extensions: string[]; label: string }> = {
  "application/pdf": { extensions: [".pdf"], label: "PDF" },
  "image/jpeg": { extensions: [".jpg", ".jpeg"], label: "JPEG" },
  "image/png": { extensions: [".png"], label: "PNG" },
};

/**
 * The largest file accepted. The API does not publish its limit (the
 * server's `SEJOUR_MAX_UPLOAD_BYTES`, 10 MiB by default): this is the
 * default; a server with a lower limit still answers `too_large`.
 */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The `accept` attribute of a file input for the accepted types. */
export const ACCEPT = (Object.keys(FILE_TYPES) as FileType[]).flatMap((t) => [t, ...FILE_TYPES[t].extensions]).join(",");

/** The type of a file as the browser sees it, else from its extension; `null`: not accepted. */
export function fileTypeOf(file: File): FileType | null {
  for (const type of Object.keys(FILE_TYPES) as FileType[]) if (file.type === type) return type;
  if (file.type && file.type !== "application/octet-stream") return null;
  const name = file.name.toLowerCase();
  for (const type of Object.keys(FILE_TYPES) as FileType[]) if (FILE_TYPES[type].extensions.some((e) => name.endsWith(e))) return type;
  return null;
}

/** "482 Ko" / "482 KB", "1,2 Mo" / "1.2 MB". */
export function formatSize(bytes: number, lang: Lang): string {
  const units = lang === "fr" ? ["octets", "Ko", "Mo"] : ["bytes", "KB", "MB"];
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  if (bytes < 1024) return `${bytes} ${units[0]}`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb).toLocaleString(locale)} ${units[1]}`;
  return `${(kb / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} ${units[2]}`;
}

/** Why the browser refuses a file before sending it, or null. */
export function checkFile(file: File): "type" | "size" | "empty" | null {
  if (!fileTypeOf(file)) return "type";
  if (file.size === 0) return "empty";
  if (file.size > MAX_UPLOAD_BYTES) return "size";
  return null;
}

/**
 * PUT a file to the signed URL the API gave, with exactly its headers,
 * reporting progress (0–1). openapi-fetch has no upload progress: this is
 * the one request of the site made with XMLHttpRequest. The browser sets
 * `Content-Length` itself (a script may not), to the file's length, which is
 * what was signed.
 */
export function putFile(
  upload: { method: string; url: string; headers: string[][] },
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of upload.headers) {
      if (!name || value === undefined || FORBIDDEN_HEADERS.has(name.toLowerCase())) continue;
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadError(xhr.status)));
    xhr.onerror = () => reject(new UploadError(0));
    xhr.onabort = () => reject(new UploadError(-1));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

/** The PUT to storage failed: `status` 0 for the network, -1 when cancelled. */
export class UploadError extends Error {
  constructor(readonly status: number) {
    super(`upload ${status}`);
  }
}

// Headers that scripts may not set (the browser does).
const FORBIDDEN_HEADERS = new Set(["content-length", "host", "connection", "expect"]);
