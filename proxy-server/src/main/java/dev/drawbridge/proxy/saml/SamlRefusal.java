package dev.drawbridge.proxy.saml;

/**
 * A SAML message or metadata Drawbridge will not act on. The message is a sentence for the page or problem body the
 * user or administrator gets: it names what is wrong, never echoes more of the input than an identifier.
 */
public final class SamlRefusal extends Exception {
    public SamlRefusal(String message) {
        super(message, null, false, false);
    }
}
