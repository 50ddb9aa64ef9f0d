package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command that resolves one item and POSTs to one of its actions ({@code collection/{id}/action}), then
 * reports the answer: the user actions (disable, enable, revoke-sessions, reset-mfa, reset-password) and
 * access-request approve and deny. Subclasses declare their own arguments and say which item, what body and
 * what sentence.
 */
abstract class ActionCommand extends ApiCommand {
    private final String collection;
    private final String action;

    ActionCommand(String collection, String action) {
        this.collection = collection;
        this.action = action;
    }

    /** The id of the item acted on (resolved from the arguments). */
    abstract String target() throws Exception;

    /** The request body; none by default. */
    Object body() throws Exception {
        return null;
    }

    /** The sentence that reports the change, from the server's answer. */
    abstract String done(JsonNode answer);

    @Override
    protected final int execute() throws Exception {
        String id = target();
        JsonNode answer = api().send("POST", collection + "/" + seg(id) + "/" + action, body());
        output().changed(done(answer), answer, id);
        return 0;
    }
}
