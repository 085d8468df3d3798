"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "@/components/i18n";
import { type FieldErrors, fieldErrors } from "@/lib/client/menu";
import { settingsApi, settingsKeys, type UserRow, usersQuery } from "@/lib/client/settings";
import { Field, FieldError, FormError, buttonClass, inputClass, invalid } from "../menu/ui";

const roleKey = (role: string) => `users.role.${role as "admin" | "operator" | "kitchen"}` as const;

/** Users of the restaurant: add, change role, reset a password, disable. Operators never see or make admins' accounts. */
export function UsersPanel({ partner, isAdmin, me }: { partner: string; isAdmin: boolean; me: string }) {
  const t = useT();
  const qc = useQueryClient();
  const query = useQuery(usersQuery(partner));
  const [draft, setDraft] = useState({ username: "", role: "kitchen", password: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const refresh = () => qc.invalidateQueries({ queryKey: settingsKeys.users(partner) });
  const add = useMutation({
    mutationFn: () => settingsApi.addUser(partner, { username: draft.username.trim(), role: draft.role, password: draft.password }),
    onSuccess: () => {
      setDraft({ username: "", role: "kitchen", password: "" });
      setErrors({});
      void refresh();
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  const roles = isAdmin ? ["operator", "kitchen", "admin"] : ["operator", "kitchen"];

  return (
    <div className="mx-auto grid max-w-5xl gap-6">
      <form
        className="grid gap-4 rounded-2xl bg-white/5 p-4 md:grid-cols-4"
        data-testid="user-add"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <h2 className="text-2xl font-black md:col-span-4">{t("users.add")}</h2>
        <FormError errors={errors} />
        <Field label={t("users.username")} field="username" errors={errors}>
          <input
            className={inputClass}
            autoComplete="off"
            value={draft.username}
            onChange={(e) => setDraft({ ...draft, username: e.target.value })}
            data-testid="user-username"
            {...invalid("username", errors)}
          />
        </Field>
        <Field label={t("users.roleLabel")} field="role" errors={errors}>
          <select
            className={inputClass}
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value })}
            data-testid="user-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(roleKey(r))}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("users.password")} field="password" errors={errors}>
          <input
            className={inputClass}
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            data-testid="user-password"
            {...invalid("password", errors)}
          />
        </Field>
        <div className="content-end">
          <button type="submit" className={buttonClass.primary} disabled={add.isPending} data-testid="user-add-submit">
            {t("users.addSubmit")}
          </button>
        </div>
      </form>

      {query.isError && (
        <p role="alert" className="rounded-xl bg-red-950 px-4 py-3 text-xl">
          {query.error.message}
        </p>
      )}
      <ul className="grid gap-3" data-testid="user-list">
        {query.data?.map((u) => (
          <UserItem key={u.id} user={u} roles={roles} self={u.id === me} onChanged={refresh} isAdmin={isAdmin} />
        ))}
      </ul>
    </div>
  );
}

function UserItem({
  user,
  roles,
  self,
  isAdmin,
  onChanged,
}: {
  user: UserRow;
  roles: string[];
  self: boolean;
  isAdmin: boolean;
  onChanged: () => void;
}) {
  const t = useT();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [password, setPassword] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const change = useMutation({
    mutationFn: (patch: { role?: string; password?: string; disabled?: boolean }) => settingsApi.updateUser(user.id, patch),
    onSuccess: (_u, patch) => {
      setErrors({});
      if (patch.password) {
        setPassword(null);
        setNote(t("users.passwordChanged"));
      } else setNote("");
      onChanged();
    },
    onError: (err) => setErrors(fieldErrors(err)),
  });
  const editable = !(user.role === "admin" && !isAdmin);

  return (
    <li
      className={`flex flex-wrap items-center gap-3 rounded-2xl p-4 ${user.disabled ? "bg-white/5 text-gray-400" : "bg-white/10"}`}
      data-testid="user-row"
      data-username={user.username}
      data-role={user.role}
      data-disabled={user.disabled ? "true" : "false"}
    >
      <span className="min-w-40 text-2xl font-black">{user.username}</span>
      {user.disabled && <span className="rounded-full bg-red-900 px-3 py-1 text-base font-bold text-white">{t("users.disabled")}</span>}
      {self && <span className="rounded-full bg-sky-900 px-3 py-1 text-base font-bold text-white">{t("users.you")}</span>}
      {user.role === "admin" ? (
        <span className="text-lg">{t("users.role.admin")}</span>
      ) : (
        <label className="flex items-center gap-2 text-lg">
          <span className="sr-only">{t("users.roleOf", { username: user.username })}</span>
          <select
            className="min-h-11 rounded-lg border border-white/20 bg-black/40 px-3 text-lg"
            value={user.role}
            disabled={self || change.isPending}
            onChange={(e) => change.mutate({ role: e.target.value })}
            data-testid="user-row-role"
          >
            {roles
              .filter((r) => r !== "admin")
              .map((r) => (
                <option key={r} value={r}>
                  {t(roleKey(r))}
                </option>
              ))}
          </select>
        </label>
      )}
      {editable && !self && password === null && (
        <button type="button" className={buttonClass.secondary} onClick={() => setPassword("")} data-testid="user-reset">
          {t("users.reset")}
        </button>
      )}
      {editable && password !== null && (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ password });
          }}
        >
          <label className="text-lg">
            <span className="sr-only">{t("users.newPasswordFor", { username: user.username })}</span>
            <input
              className="min-h-11 rounded-lg border border-white/20 bg-black/40 px-3 text-lg"
              type="password"
              autoComplete="new-password"
              placeholder={t("users.newPassword")}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="user-new-password"
              {...invalid("password", errors)}
            />
          </label>
          <button type="submit" className={buttonClass.primary} disabled={change.isPending}>
            {t("users.set")}
          </button>
          <button type="button" className={buttonClass.secondary} onClick={() => setPassword(null)}>
            {t("settings.cancel")}
          </button>
        </form>
      )}
      {editable && !self && (
        <button
          type="button"
          className={user.disabled ? buttonClass.secondary : buttonClass.danger}
          disabled={change.isPending}
          onClick={() => change.mutate({ disabled: !user.disabled })}
          data-testid="user-disable"
        >
          {user.disabled ? t("users.enable") : t("users.disable")}
        </button>
      )}
      <FieldError field="password" errors={errors} />
      <FieldError field="role" errors={errors} />
      <FieldError field="disabled" errors={errors} />
      <FormError errors={errors} />
      {note && (
        <span role="status" className="text-lg text-green-300">
          {note}
        </span>
      )}
    </li>
  );
}
