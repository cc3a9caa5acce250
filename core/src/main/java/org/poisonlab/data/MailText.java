package org.poisonlab.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jsoup.Jsoup;

/**
 * Turns a raw RFC 822 / MIME email (RFC 5322, RFC 2045-2049) into the text a spam filter reads: the
 * decoded Subject, a newline, and the body text. The body is parsed with Apache James mime4j:
 * transfer encodings (quoted-printable, base64) are decoded, multiparts and attached messages are
 * walked, {@code text/plain} parts are kept, and {@code text/html} parts are turned into text with
 * jsoup only when the mail has no plain part.
 *
 * <p>The input is a Java string whose 8-bit bytes were already decoded (as UTF-8) by whoever made
 * it, so it is encoded back as UTF-8 for mime4j; a part without a transfer encoding is then read as
 * UTF-8 whatever charset it declares, and a quoted-printable or base64 part with its declared
 * charset. A mail mime4j cannot parse (an exception, or a multipart whose boundary never appears)
 * falls back to the raw text after the header block, and says so in {@link Parsed#fallback()}.
 */
final class MailText {
  private static final Pattern AT_DOMAIN =
      Pattern.compile("@([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)");

  private MailText() {}

  /**
   * @param text Subject + "\n" + body
   * @param source the sender's domain, lowercased, or {@code "unknown"}
   * @param fallback true when mime4j could not parse the mail and the raw body was used
   * @param textPart false when the mail parsed but held no text/plain or text/html part
   */
  record Parsed(String text, String source, boolean fallback, boolean textPart) {}

  static Parsed parse(String raw) {
    String mail = stripMboxLine(raw);
    String headerBlock = headerBlock(mail);
    String subject = decodeWords(headerValue(headerBlock, "Subject"));
    String source = senderDomain(headerValue(headerBlock, "From"));
    List<String> plain = new ArrayList<>();
    List<String> html = new ArrayList<>();
    boolean fallback;
    try {
      DefaultMessageBuilder builder = new DefaultMessageBuilder();
      builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
      builder.setDecodeMonitor(DecodeMonitor.SILENT);
      builder.setBodyFactory(new BasicBodyFactory(true));
      Message m =
          builder.parseMessage(new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8)));
      try {
        fallback = !walk(m, plain, html);
      } finally {
        m.dispose();
      }
    } catch (IOException | RuntimeException e) {
      fallback = true;
    }
    String body;
    boolean textPart = true;
    if (fallback) {
      body = rawBody(mail);
    } else if (!plain.isEmpty()) {
      body = String.join("\n", plain);
    } else if (!html.isEmpty()) {
      body = String.join("\n", html);
    } else {
      body = "";
      textPart = false;
    }
    body = body.replace("\r\n", "\n").strip();
    return new Parsed(subject + "\n" + body, source, fallback, textPart);
  }

  /** Collects text parts depth-first; false when the structure is broken (an empty multipart). */
  private static boolean walk(Entity e, List<String> plain, List<String> html) throws IOException {
    Body b = e.getBody();
    if (b instanceof Multipart mp) {
      if (mp.getBodyParts().isEmpty()) {
        return false;
      }
      for (Entity part : mp.getBodyParts()) {
        if (!walk(part, plain, html)) {
          return false;
        }
      }
      return true;
    }
    if (b instanceof Message inner) {
      return walk(inner, plain, html);
    }
    if (b instanceof SingleBody sb) {
      // startsWith: a type with a missing ';' ("text/plain charset=x") is still plain text
      String type =
          e.getMimeType() == null ? "text/plain" : e.getMimeType().toLowerCase(Locale.ROOT).strip();
      boolean isPlain = type.startsWith("text/plain");
      if (isPlain || type.startsWith("text/html")) {
        String s = decode(sb, e);
        if (isPlain) {
          plain.add(s);
        } else {
          html.add(Jsoup.parse(s).text());
        }
      }
    }
    return true;
  }

  private static String decode(SingleBody body, Entity e) throws IOException {
    byte[] bytes;
    try (InputStream in = body.getInputStream()) {
      bytes = in.readAllBytes();
    }
    String cte =
        e.getContentTransferEncoding() == null
            ? ""
            : e.getContentTransferEncoding().toLowerCase(Locale.ROOT);
    boolean encoded = cte.equals("quoted-printable") || cte.equals("base64");
    return new String(bytes, encoded ? charset(e.getCharset()) : StandardCharsets.UTF_8);
  }

  /** The declared charset, or ISO-8859-1 for none, US-ASCII (a subset of it) and unknown names. */
  private static Charset charset(String name) {
    if (name == null || name.isBlank()) {
      return StandardCharsets.ISO_8859_1;
    }
    try {
      Charset c = Charset.forName(name.strip());
      return c.equals(StandardCharsets.US_ASCII) ? StandardCharsets.ISO_8859_1 : c;
    } catch (RuntimeException unknown) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** Drops an mbox {@code From } separator line, which is not a header field. */
  static String stripMboxLine(String raw) {
    if (raw.startsWith("From ")) {
      int nl = raw.indexOf('\n');
      return nl < 0 ? "" : raw.substring(nl + 1);
    }
    return raw;
  }

  static String headerBlock(String mail) {
    int end = headerEnd(mail);
    return end < 0 ? mail : mail.substring(0, end);
  }

  /** The text after the blank line that ends the header block; empty when there is none. */
  static String rawBody(String mail) {
    int end = headerEnd(mail);
    if (end < 0) {
      return "";
    }
    int start = mail.startsWith("\r\n\r\n", end) ? end + 4 : end + 2;
    return mail.substring(Math.min(start, mail.length()));
  }

  private static int headerEnd(String mail) {
    if (mail.startsWith("\n") || mail.startsWith("\r\n")) {
      return 0;
    }
    int lf = mail.indexOf("\n\n");
    int crlf = mail.indexOf("\r\n\r\n");
    if (lf < 0) {
      return crlf;
    }
    return crlf < 0 ? lf : Math.min(lf, crlf);
  }

  /** The unfolded value of the first header field named {@code name}, or "". */
  static String headerValue(String headers, String name) {
    String[] lines = headers.split("\r?\n", -1);
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].toLowerCase(Locale.ROOT).startsWith(prefix)) {
        StringBuilder v = new StringBuilder(lines[i].substring(prefix.length()));
        for (int j = i + 1;
            j < lines.length
                && !lines[j].isEmpty()
                && (lines[j].charAt(0) == ' ' || lines[j].charAt(0) == '\t');
            j++) {
          v.append(' ').append(lines[j].strip());
        }
        return v.toString().strip();
      }
    }
    return "";
  }

  private static String decodeWords(String s) {
    if (s.isEmpty()) {
      return s;
    }
    try {
      return DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT).strip();
    } catch (RuntimeException e) {
      return s;
    }
  }

  /** The domain of the first mailbox of a From value, lowercased; {@code "unknown"} if none. */
  static String senderDomain(String from) {
    if (from.isEmpty()) {
      return "unknown";
    }
    String domain = null;
    try {
      AddressList list = LenientAddressParser.DEFAULT.parseAddressList(from);
      for (Address a : list) {
        Mailbox mb =
            a instanceof Mailbox m
                ? m
                : a instanceof Group g && !g.getMailboxes().isEmpty()
                    ? g.getMailboxes().get(0)
                    : null;
        if (mb != null && mb.getDomain() != null && !mb.getDomain().isBlank()) {
          domain = mb.getDomain();
          break;
        }
      }
    } catch (RuntimeException ignored) {
      // fall through to the pattern below
    }
    if (domain == null || !AT_DOMAIN.matcher("@" + domain.strip()).matches()) {
      Matcher m = AT_DOMAIN.matcher(from);
      domain = m.find() ? m.group(1) : null;
    }
    return domain == null ? "unknown" : domain.strip().toLowerCase(Locale.ROOT);
  }
}
