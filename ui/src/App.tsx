// The app's frame: first-run set-up, unlock, and once unlocked the screens. A lock (on
// demand, or the shell's idle timer) unmounts everything below the frame, so every record's
// content leaves the UI's memory; the unlock screen returns.
import { useCallback, useEffect, useRef, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { api, setLockedHandler, type AppInfo, type RekeyStatus, type SessionInfo } from "./api";
import { watchActivity } from "./idle";
import { settleDrafts } from "./drafts";
import { Setup, RecoveryCodeOnce } from "./screens/Setup";
import { Unlock } from "./screens/Unlock";
import { Workspace } from "./Workspace";

type Phase =
  | { name: "loading" }
  | { name: "setup" }
  | { name: "recovery-code"; code: string; session: SessionInfo | null; rekey?: RekeyStatus | null }
  | { name: "unlock"; notice: string | null }
  | { name: "app"; session: SessionInfo };

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: "loading" });
  const [lastUser, setLastUser] = useState("");
  const [startError, setStartError] = useState<string | null>(null);
  const generation = useRef(0);

  const toUnlock = useCallback((notice: string | null) => {
    generation.current += 1;
    document.title = "Harbor";
    setPhase({ name: "unlock", notice });
  }, []);

  useEffect(() => {
    api
      .appInfo()
      .then((i) => {
        setInfo(i);
        if (i.session) setPhase({ name: "app", session: i.session });
        else setPhase(i.vault_exists ? { name: "unlock", notice: null } : { name: "setup" });
      })
      .catch(() => setStartError("Harbor could not read its vault folder."));
  }, []);

  // The shell locks after the idle time and says so; any command that finds the vault
  // locked says so too.
  useEffect(() => {
    setLockedHandler(() =>
      toUnlock("Harbor locked itself. Nothing you typed was lost: unlock to go on."),
    );
    const un = listen<string>("harbor://locked", (e) => {
      toUnlock(
        e.payload === "idle"
          ? "Harbor locked after a time without input. Nothing you typed was lost: unlock to go on."
          : "Harbor is locked.",
      );
    });
    return () => {
      void un.then((f) => f());
    };
  }, [toUnlock]);

  const session = phase.name === "app" ? phase.session : null;
  useEffect(() => {
    if (!session) return;
    return watchActivity(() => void api.activity().catch(() => {}), session.auto_lock_minutes);
  }, [session]);

  const lockNow = useCallback(async () => {
    // Unmount the screens first (their drafts flush), let the saves land, then drop the key.
    generation.current += 1;
    setPhase({ name: "unlock", notice: "Harbor is locked." });
    await new Promise((r) => setTimeout(r, 0));
    await settleDrafts();
    await api.lock().catch(() => {});
  }, []);

  if (startError) return <main className="centered"><p role="alert">{startError}</p></main>;

  switch (phase.name) {
    case "loading":
      return <main className="centered" aria-busy="true"><p>Opening Harbor…</p></main>;
    case "setup":
      return (
        <Setup
          vaultDir={info?.vault_dir ?? ""}
          onCreated={(code, s, admin) => {
            setLastUser(admin);
            setPhase({ name: "recovery-code", code, session: s });
          }}
        />
      );
    case "recovery-code":
      return (
        <RecoveryCodeOnce
          code={phase.code}
          rekey={phase.rekey ?? null}
          onDone={() => {
            if (phase.session) setPhase({ name: "app", session: phase.session });
            else toUnlock(null);
          }}
        />
      );
    case "unlock":
      return (
        <Unlock
          notice={phase.notice}
          initialUser={lastUser}
          onUnlocked={(s, user, newCode, rekey) => {
            setLastUser(user);
            if (newCode) setPhase({ name: "recovery-code", code: newCode, session: s, rekey });
            else setPhase({ name: "app", session: s });
          }}
        />
      );
    case "app":
      return (
        <Workspace
          key={generation.current}
          session={phase.session}
          onLock={() => void lockNow()}
          onSessionChange={(s) => setPhase({ name: "app", session: s })}
        />
      );
  }
}
