import { useEffect, useRef } from 'react';
import { Dialog } from './Dialog';

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose(): void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new request moves the focus to its confirm button
  useEffect(() => confirmRef.current?.focus(), [request]);
  if (!request) return null;
  return (
    <Dialog title={request.title} onClose={onClose}>
      <p>{request.body}</p>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          ref={confirmRef}
          onClick={() => {
            onClose();
            request.onConfirm();
          }}
        >
          {request.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
