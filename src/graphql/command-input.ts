import { Field, InputType } from 'type-graphql';
import { OptionalText, Revision } from './validation';

@InputType('CommandInput', { description: 'Options every command accepts.' })
export abstract class CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'Send the same key when retrying: the retry returns the first result and records nothing new.',
  })
  @OptionalText(200)
  idempotencyKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Links this command with others of one user action (defaults to the request id).' })
  @OptionalText(200)
  correlationId?: string | null;
}

@InputType('ChangeInput', { description: 'Options of commands that change an existing thing.' })
export abstract class ChangeInput extends CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'The revision your screen showed: if someone changed it since, the command fails with CONFLICT.',
  })
  @Revision()
  expectedRevision?: string | null;
}
