package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.model.sso.HeaderValues;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Header-based single sign-on: every header of the request whose name is a spelling of a configured one (any case,
 * {@code _} or {@code .} for {@code -}: {@link HeaderNames#canonical}) is removed, then each rule's header is added with
 * the verified user's value ({@link HeaderValues}); a rule without a value for this user adds nothing.
 */
final class HeaderSso {
    private HeaderSso() {
    }

    static SsoStep.Outcome apply(RequestHead head, List<HeaderRule> rules, SsoIdentity user) {
        Set<String> names = rules.stream().map(r -> HeaderNames.canonical(r.name())).collect(Collectors.toSet());
        List<HeaderField> out = new ArrayList<>(head.headers().size() + rules.size());
        for (HeaderField h : head.headers()) {
            if (!names.contains(HeaderNames.canonical(h.name()))) {
                out.add(h);
            }
        }
        for (HeaderRule r : rules) {
            Optional<String> value;
            try {
                value = HeaderValues.of(r, user);
            } catch (HeaderValues.TooLongException e) {
                return new SsoStep.Outcome.Refuse(e.getMessage());
            }
            value.ifPresent(v -> out.add(new HeaderField(r.name(), v)));
        }
        return new SsoStep.Outcome.Proceed(new RequestHead(head.appId(), head.method(), head.upstreamUri(), out, head.timeout(),
                head.websocket(), head.body(), head.identity(), head.sso()));
    }
}
