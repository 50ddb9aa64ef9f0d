package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.SamlSso;

import java.time.Duration;
import java.time.Instant;

/**
 * What an AuthnRequest may ask of an app's identity provider: it comes from the app's service provider ({@code Issuer} =
 * its entity id), was sent here ({@code Destination}, required when signed), wants the response at the app's ACS URL
 * and nowhere else, by HTTP-POST, and is fresh (its {@code IssueInstant} within {@link #SKEW} of now, so a request can
 * be replayed only while Drawbridge still remembers its ID, {@link SamlStore}). A request refused here never reaches the
 * sign-in, and nothing is ever sent to an address the request names.
 */
final class RequestChecks {
    /** How far the service provider's clock may be from Drawbridge's, and how old a request may be. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private RequestChecks() {
    }

    static void check(AuthnRequest r, SamlSso s, String ssoUrl, boolean signed, Instant now) throws SamlRefusal {
        // The messages name what the app's settings say, never what the request says (no text of a stranger's on the page).
        if (!r.issuer().equals(s.spEntityId())) {
            throw new SamlRefusal("the request comes from another service provider than this app's (" + s.spEntityId() + ")");
        }
        if (r.acsUrl().isPresent() && !r.acsUrl().get().equals(s.acsUrl())) {
            throw new SamlRefusal("the request wants the response at another address than this app's assertion consumer service ("
                    + s.acsUrl() + ")");
        }
        if (r.protocolBinding().isPresent() && !r.protocolBinding().get().equals(SamlNames.HTTP_POST)) {
            throw new SamlRefusal("the request wants the response by another binding than HTTP-POST, the only one Drawbridge answers by");
        }
        if (r.destination().isPresent() && !r.destination().get().equals(ssoUrl)) {
            throw new SamlRefusal("the request was meant for another identity provider than this one (" + ssoUrl + ")");
        }
        if (r.destination().isEmpty() && signed) {
            throw new SamlRefusal("a signed request must name its Destination (this identity provider's " + ssoUrl + ")");
        }
        if (r.issueInstant().isBefore(now.minus(SKEW)) || r.issueInstant().isAfter(now.plus(SKEW))) {
            throw new SamlRefusal("the request was issued more than " + SKEW.toMinutes()
                    + " minutes from now: go back to the app and sign in again (or check the service provider's clock)");
        }
    }

    static String cut(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
