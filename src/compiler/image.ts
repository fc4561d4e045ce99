/** The parts of a container image reference (`registry/repo:tag@sha256:digest`) that servec reads. */
export interface ImageRef {
  /** Registry and repository, without tag or digest. */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const name = at === -1 ? image : image.slice(0, at);
  // A colon after the last slash starts the tag; one before it belongs to a registry's port.
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag && { tag: name.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}
