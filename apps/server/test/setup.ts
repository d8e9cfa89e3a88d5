// Every statement template's call is also built from its values and compared (statement-template.ts in
// persistence-kysely): a builder that bakes a value into its SQL fails the first test that runs it.
import { checkStatementTemplates } from '@whatisup/persistence-kysely';

checkStatementTemplates(true);
