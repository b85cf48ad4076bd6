// Preload bridge: filled in by the desktop shell work (issue 4).
export {};
