import { describe, expect, it } from '@jest/globals';
import { passwordChangedMail, passwordResetMail } from '../../src/accounts/account-mail.js';
import { checkMessage } from '../../src/mail/index.js';

const resetUrl = 'https://id.example.com/account/password-reset/confirm?token=abc_DEF-123&x=1';

describe('passwordResetMail', () => {
  const mail = passwordResetMail({ to: 'ada@example.com', resetUrl, expiresInMinutes: 60 });

  it('addresses the account and carries the link and its lifetime in the text', () => {
    expect(mail.to).toBe('ada@example.com');
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text).toContain(`\n\n${resetUrl}\n\n`);
    expect(mail.text).toContain('expires in 60 minutes');
    expect(mail.text).toContain('ignore this mail');
    expect(() => checkMessage(mail)).not.toThrow();
  });

  it('links the same URL in the HTML, escaped, with nothing remote to load', () => {
    const escaped = resetUrl.replace('&', '&#38;');
    expect(mail.html).toContain(`<a href="${escaped}">${escaped}</a>`);
    expect(mail.html).not.toMatch(/<img|<script|<link|style=|src=/i);
    expect(mail.html!.match(/href=/g)).toHaveLength(1);
  });

  it('describes whole hours in hours', () => {
    expect(passwordResetMail({ to: 'a@b.c', resetUrl, expiresInMinutes: 1440 }).text).toContain('expires in 24 hours');
    expect(passwordResetMail({ to: 'a@b.c', resetUrl, expiresInMinutes: 1 }).text).toContain('expires in 1 minute.');
  });

  it('refuses a link that is not http(s)', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'not a url']) {
      expect(() => passwordResetMail({ to: 'a@b.c', resetUrl: bad, expiresInMinutes: 60 })).toThrow(TypeError);
    }
  });
});

describe('passwordChangedMail', () => {
  const when = new Date('2026-11-22T12:34:56Z');

  it('says when, and from where if known', () => {
    const mail = passwordChangedMail({ to: 'ada@example.com', when, ip: '203.0.113.7' });
    expect(mail.subject).toBe('Your password was changed');
    expect(mail.text).toContain('changed on 2026-11-22 12:34 UTC from the address 203.0.113.7.');
    expect(passwordChangedMail({ to: 'ada@example.com', when }).text).toContain('changed on 2026-11-22 12:34 UTC.');
  });

  it('contains no link at all', () => {
    const mail = passwordChangedMail({ to: 'ada@example.com', when, ip: '203.0.113.7' });
    expect(mail.html).not.toMatch(/href=|src=/i);
    expect(mail.text).not.toMatch(/https?:/);
  });

  it('escapes every outside value in the HTML', () => {
    const mail = passwordChangedMail({ to: 'ada@example.com', when, ip: '<b onclick="x">&\'' });
    expect(mail.html).toContain('&#60;b onclick=&#34;x&#34;&#62;&#38;&#39;');
    expect(mail.html).not.toContain('<b ');
  });
});
