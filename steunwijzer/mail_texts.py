"""The mails as data: one entry per kind, English msgids (B1) translated in the six catalogues.

{placeholders} are filled by steunwijzer.notify after translation. A subject never holds personal
data (no names, no amounts, no codes); only the lost-code mail holds a resume code."""

from __future__ import annotations

from dataclasses import dataclass

from steunwijzer.i18n import N_


@dataclass(frozen=True)
class MailText:
    subject: str
    paragraphs: tuple[str, ...]
    action: str | None = None        # the label of the one link in the mail ({link})
    footer: tuple[str, ...] = ()


GREETING = N_("Hello,")
SIGNATURE = N_("Kind regards,\nSteunwijzer, {municipality}")
NO_REPLY = N_("This e-mail was sent by a computer. Please do not reply to it.")
GROUP_FOOTER = (N_("You get this e-mail because you said we may e-mail you about your application."), NO_REPLY)
OFFICER_FOOTER = (N_("You can switch off these e-mails under \"My e-mail settings\" on the Applications page."), NO_REPLY)
ALERT_FOOTER = (N_("You get this e-mail because you asked for news about funds."), NO_REPLY)
UNSUBSCRIBE = N_("Stop these e-mails: {unsubscribe}")

MAILS: dict[str, MailText] = {
    "application_received": MailText(
        subject=N_("We have received your application"),
        paragraphs=(
            N_("Thank you! We have received your application (number {number}) for {fund}."),
            N_("An officer will read it. If we have a question, we will send you an e-mail."),
            N_("You can look at your application at any time with your code."),
        ),
        action=N_("Open your application"), footer=GROUP_FOOTER),
    "question_asked": MailText(
        subject=N_("We have a question about your application"),
        paragraphs=(
            N_("An officer has a question about your application (number {number}) for {fund}."),
            N_("Log in with your code to read the question and to answer it."),
        ),
        action=N_("Open your application"), footer=GROUP_FOOTER),
    "decision_taken": MailText(
        subject=N_("There is a decision about your application"),
        paragraphs=(
            N_("There is a decision about your application (number {number}) for {fund}."),
            N_("Log in with your code to read it. You can also download the letter there."),
        ),
        action=N_("Open your application"), footer=GROUP_FOOTER),
    "report_due": MailText(
        subject=N_("Please tell us soon how your plan went"),
        paragraphs=(
            N_("You got money for your plan (application number {number}). Please tell us before {date} how it went."),
            N_("It takes only a few sentences. You can type or speak. Log in with your code."),
        ),
        action=N_("Tell how it went"), footer=GROUP_FOOTER),
    "report_overdue": MailText(
        subject=N_("We are still waiting for your short report"),
        paragraphs=(
            N_("We have not received your report yet (application number {number}). It was due on {date}."),
            N_("Please tell us how your plan went. Log in with your code. Do you need help? Contact {municipality}."),
        ),
        action=N_("Tell how it went"), footer=GROUP_FOOTER),
    "data_deletion": MailText(
        subject=N_("We will soon delete the data of your application"),
        paragraphs=(
            N_("Your application (number {number}) is finished. On {date} we will delete your answers and recordings."),
            N_("Do you want to keep them? Log in with your code before that day and download your application."),
        ),
        action=N_("Open your application"), footer=GROUP_FOOTER),
    "lost_code": MailText(
        subject=N_("Your new code for Steunwijzer"),
        paragraphs=(
            N_("Someone asked for a new code for your application (number {number}) for {fund}."),
            N_("Your new code is: {code}"),
            N_("Your old code does not work anymore. Write the new code down and keep it safe."),
            N_("Did you not ask for a new code? Then use this new code from now on. Nobody else can see it."),
        ),
        action=N_("Open your application"), footer=(NO_REPLY,)),
    "officer_digest": MailText(
        subject=N_("Steunwijzer: what needs your attention"),
        paragraphs=(
            N_("This is what needs your attention in your funds today:"),
            N_("New applications: {new}\nAnswers from groups: {answered}\nReports to check: {reports}\nReports overdue: {overdue}"),
        ),
        action=N_("Open the applications"), footer=OFFICER_FOOTER),
    "second_approval": MailText(
        subject=N_("A decision waits for your approval"),
        paragraphs=(
            N_("A colleague asks you to check the decision on application number {number} ({fund})."),
            N_("Open the application to agree or not."),
        ),
        action=N_("Open the applications"), footer=OFFICER_FOOTER),
    "alert_confirm": MailText(
        subject=N_("Please confirm: news about funds"),
        paragraphs=(
            N_("You asked to hear from us when a fund that fits your plan opens, is new, or has a deadline soon."),
            N_("Please click the link to say yes. Did you not ask for this? Then do nothing. We will not e-mail you again."),
        ),
        action=N_("Yes, send me news about funds"), footer=(NO_REPLY,)),
    "fund_alert": MailText(
        subject=N_("News about funds that fit your plan"),
        paragraphs=(
            N_("There is news about funds that fit your answers:"),
            "{items}",
        ),
        action=N_("Look at the funds"), footer=ALERT_FOOTER),
}

# One line per fund in a fund alert.
ALERT_ITEMS = {
    "added": N_("{fund}: new in the list of funds"),
    "opens": N_("{fund}: you can apply again, until {date}"),
    "deadline": N_("{fund}: the deadline is {date}"),
}
