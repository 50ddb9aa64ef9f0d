package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;

/**
 * A command that resolves one item and runs one of its actions, then reports the answer: the user actions (disable,
 * enable, revoke-sessions, reset-mfa, reset-password) and access-request approve and deny. Subclasses declare their
 * own arguments and say which item, what call and what sentence.
 */
abstract class ActionCommand extends ApiCommand {
    /** One action on the item with this id. */
    @FunctionalInterface
    interface Action {
        Object run(ActionCommand command, AdminApi api, String id) throws Exception;
    }

    private final Action action;

    ActionCommand(Action action) {
        this.action = action;
    }

    /** The id of the item acted on (resolved from the arguments). */
    abstract String target() throws Exception;

    /** The sentence that reports the change, from the server's answer. */
    abstract String done(JsonNode answer);

    @Override
    protected final int execute() throws Exception {
        String id = target();
        JsonNode answer = Output.tree(action.run(this, api(), id));
        output().changed(done(answer), answer, id);
        return 0;
    }
}
