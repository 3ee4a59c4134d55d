/** The usage lines of access-control-commands.ts (a file of its own: usage-error.ts needs it with no imports). */
export const ACCESS_CONTROL_USAGE = `  role create --tenant <slug> --name <role> --permissions "<scope; type id: scope>"
  role update --tenant <slug> --name <role> --permissions "<…>"   (additions at the next token; removals end grants now)
  role list --tenant <slug>
  group create --tenant <slug> --name <group>
  group add-member --tenant <slug> --group <group> --email <email>
  group add-role --tenant <slug> --group <group> --role <role>
  group remove-member --tenant <slug> --group <group> --email <email>   (ends the member's grants in the company now)
  group remove-role --tenant <slug> --group <group> --role <role>      (ends the members' grants in the company now)
  group list --tenant <slug>
  user grant-role --tenant <slug> --email <email> --role <role>
  user add-to-tenant --tenant <slug> --email <email> [--role <role>]...
  user revoke-role --tenant <slug> --email <email> --role <role>       (ends the user's grants in the company now)
  user remove-from-tenant --tenant <slug> --email <email>              (groups, membership and grants there)`;
