package dev.drawbridge.proxy.saml;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

/**
 * XML that an attacker writes (AuthnRequests, service provider metadata) parsed without giving them the parser: no DTD
 * at all (so no entity of any kind: no XXE, no billion laughs), no external resource, no XInclude, a size cap checked
 * before parsing and the JDK's processing limits (element depth, attributes per element) set low. Anything else, or
 * anything not well-formed, is a {@link SamlRefusal} that names no more than "not well-formed XML". Also builds and
 * serializes the XML Drawbridge writes.
 */
final class SafeXml {
    /** Deeper than any SAML message or metadata needs; a deeper document is refused. */
    static final int MAX_DEPTH = 40;
    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // nothing: warnings do not stop parsing, and nothing is printed
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SafeXml() {
    }

    /** {@code xml} as a namespace-aware document, if it is at most {@code maxBytes} long and well-formed with no DTD. */
    static Document parse(byte[] xml, int maxBytes, String what) throws SamlRefusal {
        if (xml.length > maxBytes) {
            throw new SamlRefusal(what + " is larger than " + maxBytes / 1024 + " KiB");
        }
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(THROWING);
            // No DTD is allowed, so nothing should ever be resolved; if something were, it would resolve to nothing.
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new SamlRefusal(what + " is not well-formed XML without a DTD");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH));
        f.setAttribute("jdk.xml.elementAttributeLimit", "50");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setValidating(false);
        return f;
    }

    /** An empty namespace-aware document to build in. */
    static Document newDocument() {
        try {
            return factory().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code doc} as XML text, byte for byte as built (no indentation: a signature covers the exact content). */
    static String serialize(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML", e);
        }
    }

    /** A new element {@code ns}:{@code qualifiedName} appended to {@code parent} (a document or an element). */
    static Element add(Node parent, String ns, String qualifiedName) {
        Document doc = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element e = doc.createElementNS(ns, qualifiedName);
        parent.appendChild(e);
        return e;
    }

    /** As {@link #add}, with text content (characters XML 1.0 cannot carry removed). */
    static Element add(Node parent, String ns, String qualifiedName, String text) {
        Element e = add(parent, ns, qualifiedName);
        e.setTextContent(xmlText(text));
        return e;
    }

    /** The child elements of {@code parent} named {@code ns}:{@code local}, in order (direct children only). */
    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The one child {@code ns}:{@code local} of {@code parent}; empty when none; refused when several. */
    static Optional<Element> child(Element parent, String ns, String local) throws SamlRefusal {
        List<Element> all = children(parent, ns, local);
        if (all.size() > 1) {
            throw new SamlRefusal("<" + local + "> appears more than once");
        }
        return all.stream().findFirst();
    }

    /** An attribute without a namespace, when present. */
    static Optional<String> attribute(Element e, String name) {
        return e.hasAttributeNS(null, name) ? Optional.of(e.getAttributeNS(null, name)) : Optional.empty();
    }

    /** {@code s} without the characters XML 1.0 cannot carry (controls other than tab, CR, LF; unpaired surrogates; U+FFFE/F). */
    static String xmlText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF)).filter(c -> c < 0x7F || c > 0x9F).forEach(b::appendCodePoint);
        return b.toString();
    }
}
