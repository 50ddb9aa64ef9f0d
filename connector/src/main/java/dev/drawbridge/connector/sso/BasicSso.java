package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Password vaulting for HTTP Basic: every header of the request whose name is a spelling of {@code Authorization}
 * (any case, {@link HeaderNames#canonical}) is removed, then {@code Authorization: Basic} is added with the stored user
 * name and password that came with this stream's instruction (RFC 7617, {@code charset="UTF-8"}). It is sent with the
 * request itself, not after a 401 challenge (docs/sso.md says why). A stream whose instruction carries no credential,
 * or one that breaks the rules, is refused; the reason never holds the password.
 */
final class BasicSso {
    private static final String AUTHORIZATION = HeaderNames.canonical("Authorization");

    private BasicSso() {
    }

    static SsoStep.Outcome apply(RequestHead head, Credential credential) {
        if (credential == null) {
            return new SsoStep.Outcome.Refuse("no stored user name and password came with the request");
        }
        List<FieldError> errors = SsoRules.checkCredential(credential.username(), credential.password());
        if (!errors.isEmpty()) {
            return new SsoStep.Outcome.Refuse("the stored user name and password cannot be sent: " + errors.getFirst().message());
        }
        List<HeaderField> out = new ArrayList<>(head.headers().size() + 1);
        for (HeaderField h : head.headers()) {
            if (!HeaderNames.canonical(h.name()).equals(AUTHORIZATION)) {
                out.add(h);
            }
        }
        out.add(new HeaderField("Authorization", value(credential)));
        return new SsoStep.Outcome.Proceed(new RequestHead(head.appId(), head.method(), head.upstreamUri(), out, head.timeout(),
                head.websocket(), head.body(), head.identity(), head.sso()));
    }

    /** {@code Basic base64(user-id ":" password)}, both in UTF-8 (RFC 7617 section 2.1). */
    static String value(Credential credential) {
        byte[] pass = (credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pass);
    }
}
