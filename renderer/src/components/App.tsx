import { useCallback, useEffect, useState } from 'react';
import { useFileDrop } from '../use-file-drop.js';
import { ExportMenu } from './ExportMenu.js';
import { ImportDialog } from './ImportDialog.js';
import { useParcel, useT } from '../store-context.js';
import { BatchDialog } from './BatchDialog.js';
import { EntryBar } from './EntryBar.js';
import { NotificationsDialog } from './NotificationsDialog.js';
import { RepairDialog, StaleBanner } from './Repair.js';
import { ParcelDetail } from './ParcelDetail.js';
import { ParcelList } from './ParcelList.js';
import { SelectionBar } from './SelectionBar.js';
import { PendingEntries } from './PendingEntries.js';
import { SettingsPanel } from './SettingsPanel.js';
import { StatusBar } from './StatusBar.js';
import { Tabs } from './Tabs.js';

type Dialog = 'batch' | 'import' | 'settings' | 'notifications' | 'repair' | null;

export function App() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const selectedId = useParcel((s) => s.selectedId);
  const loadError = useParcel((s) => s.loadError);
  const requestEntryFocus = useParcel((s) => s.requestEntryFocus);
  const [dialog, setDialog] = useState<Dialog>(null);
  const notifications = useParcel((s) => s.notifications);
  // The seen mark is kept by the core (settings), so the unread count survives a reload in both shells.
  const seenAt = useParcel((s) => s.settings?.notificationsSeenAt ?? null);
  const saveSettings = useParcel((s) => s.saveSettings);
  const select = useParcel((s) => s.select);
  const newest = notifications[0]?.at ?? null;
  const unseen = dialog === 'notifications' ? 0 : notifications.filter((n) => !seenAt || n.at > seenAt).length;
  useEffect(() => {
    if (dialog === 'notifications' && newest && (!seenAt || newest > seenAt)) void saveSettings({ notificationsSeenAt: newest });
  }, [dialog, newest, seenAt, saveSettings]);

  // Esc closes the detail (a dialog, when open, closes itself first).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key === 'Escape' && dialog === null && selectedId) select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, selectedId, select]);

  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = `${tr('appTitle')} ParcelTray`;
  }, [lang, tr]);

  const closeDialog = (): void => {
    setDialog(null);
    setDroppedFile(null);
    requestEntryFocus();
  };
  // An order file dropped anywhere on the window opens the import with it.
  const [droppedFile, setDroppedFile] = useState<File | null>(null);
  const onDrop = useCallback((file: File) => {
    setDroppedFile(file);
    setDialog('import');
  }, []);
  const dragging = useFileDrop(onDrop);

  return (
    <>
    {/* While a dialog is open the window behind it is inert: no focus, no clicks, hidden from screen readers. */}
    <div className="app" inert={dialog !== null}>
      <header className="topbar">
        <h1 className="brand">{tr('appTitle')}</h1>
        <EntryBar />
        <button type="button" onClick={() => setDialog('batch')}>{tr('batch')}</button>
        <button type="button" data-testid="open-import" onClick={() => setDialog('import')}>{tr('importOrders')}</button>
        <ExportMenu />
        <button type="button" data-testid="open-notifications" onClick={() => setDialog('notifications')}>
          {tr('notifications')}{unseen > 0 && <span className="unread" data-testid="unread-count" aria-label={`${unseen} ${tr('unread')}`}>{unseen}</span>}
        </button>
        <button type="button" onClick={() => setDialog('settings')}>{tr('settings')}</button>
      </header>
      {loadError && <div className="banner banner-error" role="alert">{loadError}</div>}
      <StaleBanner onRepair={() => setDialog('repair')} />
      <Tabs />
      <PendingEntries />
      <SelectionBar />
      <main className={selectedId ? 'content with-detail' : 'content'}>
        <ParcelList />
        {/* keyed: a note or message of one parcel must never show on the next */}
        {selectedId && <ParcelDetail key={selectedId} id={selectedId} />}
      </main>
      <StatusBar onOpenSettings={() => setDialog('settings')} />
    </div>
    {dialog === 'batch' && <BatchDialog onClose={closeDialog} />}
    {dialog === 'import' && <ImportDialog file={droppedFile} onClose={closeDialog} />}
    {dragging && <div className="drop-hint" aria-hidden="true">{tr('dropHere')}</div>}
    {dialog === 'settings' && <SettingsPanel onClose={closeDialog} />}
    {dialog === 'notifications' && <NotificationsDialog onClose={closeDialog} />}
    {dialog === 'repair' && <RepairDialog onClose={closeDialog} />}
    </>
  );
}
