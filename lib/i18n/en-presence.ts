/**
 * The health panel's presence words in English (components/screens-health.tsx), kept apart so
 * ./en.ts only spreads them; ./fr-presence.ts must have every one.
 */
export const enPresence = {
  "presence.tabs": "{count, plural, one {# tab} other {# tabs}}",
  "presence.disconnects": "Disconnects today",
  "presence.noDisconnects": "No disconnect today.",
  "presence.gap": "offline {from} → back {to}",
  "presence.stillGone": "offline since {from}",
  "presence.lasted": "({duration})",
  "presence.reason.closed": "closed",
  "presence.reason.lost": "heartbeat lost",
  // Settings → Devices: renaming a device (the health panel shows the new name).
  "presence.rename": "Rename",
  "presence.renameLabel": "New name",
  "presence.renameSave": "Save name",
  "presence.renameCancel": "Cancel",
} as const;
