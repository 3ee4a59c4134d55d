/** The usage lines of access-control-commands.ts (a file of its own: usage-error.ts needs it with no imports). */
export const ACCESS_CONTROL_USAGE = `  role create --tenant <slug> --name <role> --permissions "<scope; type id: scope>"
  role update --tenant <slug> --name <role> --permissions "<…>"   (applies at each user's next token)
  role list --tenant <slug>
  group create --tenant <slug> --name <group>
  group add-member --tenant <slug> --group <group> --email <email>
  group add-role --tenant <slug> --group <group> --role <role>
  group list --tenant <slug>
  user grant-role --tenant <slug> --email <email> --role <role>
  user add-to-tenant --tenant <slug> --email <email> [--role <role>]...`;
