package dev.drawbridge.proxy.saml;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.security.GeneralSecurityException;
import java.util.List;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;

/**
 * Enveloped XML signatures with the JDK's own XML Digital Signature API ({@code java.xml.crypto}, no third-party
 * library): RSA-SHA256 over the SHA-256 digest of the element after the enveloped-signature and exclusive
 * canonicalization transforms, the certificate in {@code KeyInfo} (SAML core 5.4, as mod_auth_mellon and every SAML
 * service provider expect). The signature goes right after the element's {@code Issuer}, where the SAML schema wants it.
 */
final class XmlSignatures {
    private XmlSignatures() {
    }

    /** Signs {@code target} (which has an {@code ID}) in place, inserting the signature before {@code before}. */
    static void sign(Element target, Node before, IdpKeys.IdpKey key) {
        String id = target.getAttributeNS(null, "ID");
        target.setIdAttributeNS(null, "ID", true);
        XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
        try {
            Reference ref = f.newReference("#" + id, f.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
            SignedInfo si = f.newSignedInfo(f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                    f.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(ref));
            KeyInfoFactory kif = f.getKeyInfoFactory();
            KeyInfo ki = kif.newKeyInfo(List.of(kif.newX509Data(List.of(key.certificate()))));
            DOMSignContext ctx = new DOMSignContext(key.key(), target, before);
            ctx.setDefaultNamespacePrefix("ds");
            f.newXMLSignature(si, ki).sign(ctx);
        } catch (GeneralSecurityException | MarshalException | XMLSignatureException e) {
            throw new IllegalStateException("cannot sign a SAML message", e);
        }
    }
}
