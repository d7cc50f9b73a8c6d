/** A file the tool writes on a host (BIRD's configuration). Its first line marks the owner. */
export interface ManagedFile {
  readonly path: string;
  readonly content: string;
}

export const managedFileKey = (file: ManagedFile): string => file.path;
