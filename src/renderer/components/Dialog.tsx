import { useId, type KeyboardEvent, type ReactNode, type Ref } from 'react';

/**
 * A modal dialog over a backdrop, labelled by its title. Escape closes it unless `onKeyDown` takes
 * the keys; `closeButton` puts a Close button in the title bar.
 */
export function Dialog({
  title,
  onClose,
  className,
  closeButton = false,
  onKeyDown,
  dialogRef,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  className?: string;
  closeButton?: boolean;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  dialogRef?: Ref<HTMLDivElement>;
  children: ReactNode;
}) {
  const titleId = useId();
  const heading = <h3 id={titleId}>{title}</h3>;
  return (
    <div className="backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={className ? `dialog ${className}` : 'dialog'}
        tabIndex={-1}
        ref={dialogRef}
        onKeyDown={onKeyDown ?? ((e) => e.key === 'Escape' && onClose())}
      >
        {closeButton ? (
          <header className="card-header">
            {heading}
            <div className="toolbar">
              <button type="button" onClick={onClose}>
                Close
              </button>
            </div>
          </header>
        ) : (
          heading
        )}
        {children}
      </div>
    </div>
  );
}
