package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Password vaulting for login forms, the step's decision: a stream of a {@code FORMS} app goes to the app with a
 * {@link FormsLogin} looking at its answer, which submits the login form with the stored user name and password that
 * came with this stream's instruction. A stream without one, or with one that breaks the rules, is refused. The request
 * itself goes as the client sent it, except that a request of the login page asks for it uncompressed (the form is read
 * here) and no header of the request spells the connector's refusal marker.
 */
final class FormsStep {
    private static final Set<String> DROPPED = Set.of(HeaderNames.canonical(SsoWire.FORMS_REFUSED_HEADER));
    private static final String ACCEPT_ENCODING = HeaderNames.canonical("Accept-Encoding");

    private FormsStep() {
    }

    static SsoStep.Outcome apply(RequestHead head, FormsSso settings, Credential credential) {
        if (credential == null) {
            return new SsoStep.Outcome.Refuse("no stored user name and password came with the request");
        }
        List<FieldError> errors = SsoRules.checkCredential(credential.username(), credential.password());
        if (!errors.isEmpty()) {
            return new SsoStep.Outcome.Refuse("the stored user name and password cannot be sent: " + errors.getFirst().message());
        }
        boolean loginPage = settings.loginPath().equals(URI.create(head.upstreamUri()).getRawPath());
        List<HeaderField> out = head.headers().stream().filter(h -> {
            String c = HeaderNames.canonical(h.name());
            return !DROPPED.contains(c) && !(loginPage && c.equals(ACCEPT_ENCODING));
        }).toList();
        RequestHead sent = new RequestHead(head.appId(), head.method(), head.upstreamUri(), out, head.timeout(), head.websocket(),
                head.body(), head.identity(), head.sso());
        return new SsoStep.Outcome.LogIn(sent, new FormsLogin(settings, credential));
    }
}
