import type { enPresence } from "./en-presence";

/** The health panel's presence words in French: every key of ./en-presence.ts. */
export const frPresence: Record<keyof typeof enPresence, string> = {
  "presence.tabs": "{count, plural, one {# onglet} other {# onglets}}",
  "presence.disconnects": "Déconnexions du jour",
  "presence.noDisconnects": "Aucune déconnexion aujourd'hui.",
  "presence.gap": "hors ligne {from} → revenu {to}",
  "presence.stillGone": "hors ligne depuis {from}",
  "presence.lasted": "({duration})",
  "presence.reason.closed": "fermé",
  "presence.reason.lost": "signal perdu",
  "presence.rename": "Renommer",
  "presence.renameLabel": "Nouveau nom",
  "presence.renameSave": "Enregistrer le nom",
  "presence.renameCancel": "Annuler",
};
