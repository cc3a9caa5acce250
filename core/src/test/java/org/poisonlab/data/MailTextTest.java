package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Hand-written mails; the addresses use the reserved example domains. */
class MailTextTest {
  private static String mail(String headers, String body) {
    return headers.strip() + "\n\n" + body;
  }

  @Test
  void plainMailGivesSubjectNewlineBodyAndSenderDomain() {
    MailText.Parsed p =
        MailText.parse(
            "From alice@example.org  Mon Jan  1 00:00:00 2001\n"
                + mail(
                    "From: Alice <Alice@Mail.Example.ORG>\nTo: bob@example.net\nSubject: Lunch\n",
                    "See you at noon.\n"));
    assertEquals("Lunch\nSee you at noon.", p.text());
    assertEquals("mail.example.org", p.source());
    assertFalse(p.fallback());
  }

  @Test
  void multipartAlternativePrefersThePlainPart() {
    String raw =
        mail(
            "From: shop@example.com\nSubject: Offer\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/alternative; boundary=\"XyZ\"\n",
            "preamble\n--XyZ\nContent-Type: text/plain; charset=us-ascii\n\nplain words\n"
                + "--XyZ\nContent-Type: text/html\n\n<html><body><p>html <b>words</b></p></body></html>\n--XyZ--\n");
    MailText.Parsed p = MailText.parse(raw);
    assertEquals("Offer\nplain words", p.text());
    assertFalse(p.fallback());
  }

  @Test
  void htmlOnlyMailIsTurnedIntoText() {
    String raw =
        mail(
            "From: \"Deals\" <deals@example.com>\nSubject: Win\nContent-Type: text/html; charset=utf-8\n",
            "<html><head><style>p{}</style></head><body><p>Click <a href='x'>here</a></p><p>now</p></body></html>");
    MailText.Parsed p = MailText.parse(raw);
    assertEquals("Win\nClick here now", p.text());
    assertEquals("example.com", p.source());
  }

  @Test
  void quotedPrintableIsDecodedWithItsCharset() {
    String raw =
        mail(
            "From: x@example.net\nSubject: =?iso-8859-1?q?Caf=E9?=\nContent-Type: text/plain; charset=iso-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n",
            "Un caf=E9 cr=E8me, soft=\nbreak.\n");
    MailText.Parsed p = MailText.parse(raw);
    assertEquals("Caf\u00e9\nUn caf\u00e9 cr\u00e8me, softbreak.", p.text());
  }

  @Test
  void base64PartsInsideMultipartMixedAreDecodedAndAttachmentsSkipped() {
    String body64 =
        Base64.getMimeEncoder()
            .encodeToString("d\u00e9j\u00e0 vu\nsecond line".getBytes(StandardCharsets.UTF_8));
    String raw =
        mail(
            "From: <ops@example.org>\nSubject: Report\nContent-Type: multipart/mixed; boundary=b1\n",
            "--b1\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n"
                + body64
                + "\n"
                + "--b1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAECAwQ=\n--b1--\n");
    MailText.Parsed p = MailText.parse(raw);
    assertEquals("Report\nd\u00e9j\u00e0 vu\nsecond line", p.text());
    assertTrue(p.textPart());
  }

  @Test
  void eightBitTextIsReadAsTheUtf8ItWasDecodedFrom() {
    String raw =
        mail(
            "From: a@example.org\nSubject: s\nContent-Type: text/plain; charset=iso-8859-1\n",
            "na\u00efve \u2014 ok\n");
    assertEquals("s\nna\u00efve \u2014 ok", MailText.parse(raw).text());
  }

  @Test
  void multipartWhoseBoundaryNeverAppearsFallsBackToTheRawBody() {
    String raw =
        mail(
            "From: a@example.org\nSubject: Broken\nContent-Type: multipart/mixed; boundary=\"nowhere\"\n",
            "just some text\nand more\n");
    MailText.Parsed p = MailText.parse(raw);
    assertTrue(p.fallback());
    assertEquals("Broken\njust some text\nand more", p.text());
  }

  @Test
  void contentTypeWithAMissingSemicolonIsStillPlainText() {
    MailText.Parsed p =
        MailText.parse(
            mail(
                "From: a@example.org\nSubject: s\nContent-Type: TEXT/PLAIN charset=US-ASCII\n",
                "words\n"));
    assertTrue(p.textPart());
    assertEquals("s\nwords", p.text());
  }

  @Test
  void mailWithOnlyAnAttachmentHasNoTextPart() {
    String raw =
        mail(
            "From: a@example.org\nSubject: Pic\nContent-Type: multipart/mixed; boundary=q\n",
            "--q\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n--q--\n");
    MailText.Parsed p = MailText.parse(raw);
    assertFalse(p.fallback());
    assertFalse(p.textPart());
    assertEquals("Pic\n", p.text());
  }

  @Test
  void forwardedMessagesAreWalked() {
    String inner = "From: b@example.net\nSubject: inner\n\ninner body\n";
    String raw =
        mail(
            "From: a@example.org\nSubject: Fwd\nContent-Type: multipart/mixed; boundary=o\n",
            "--o\nContent-Type: text/plain\n\nsee below\n--o\nContent-Type: message/rfc822\n\n"
                + inner
                + "--o--\n");
    assertEquals("Fwd\nsee below\ninner body", MailText.parse(raw).text());
  }

  @Test
  void senderDomainFallsBackToAPatternAndThenToUnknown() {
    assertEquals("example.com", MailText.senderDomain("broken <<user@Example.COM"));
    assertEquals("unknown", MailText.senderDomain("no address here"));
    assertEquals("unknown", MailText.senderDomain(""));
    assertEquals("unknown", MailText.parse("Subject: none\n\nbody").source());
  }

  @Test
  void foldedSubjectIsUnfolded() {
    MailText.Parsed p =
        MailText.parse(mail("Subject: a long\n\tsubject line\nFrom: a@example.org\n", "x"));
    assertEquals("a long subject line\nx", p.text());
  }

  @Test
  void mailWithoutHeaderEndHasAnEmptyBody() {
    assertEquals("", MailText.rawBody("Subject: x\nFrom: y"));
    assertEquals("body\n", MailText.rawBody("Subject: x\r\n\r\nbody\n"));
  }
}
