/** The usage lines of admin-commands.ts (a file of its own: usage-error.ts needs it with no imports). */
export const ADMIN_USAGE = `  admin bootstrap --tenant <slug> --email <email> [--password-stdin]
                                             (the company's first admin and an admin API client; prints its secret once)
  admin platform-client                      (a platform client with admin:platform, to create companies; prints its secret once)`;
