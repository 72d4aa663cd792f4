"""The kiosk's words, made here so that Babel translates them and the page can carry every language offline.

The script fills the placeholders (%(n)s, %(money)s, ...) itself; the ballot's rules are the msgids of
pb.voting.ballots.check_ballot, word for word, so that a voter reads the same reason on every channel.
"""
from flask_babel import gettext as _

from pb.core.i18n import format_money, format_number
from pb.voting.states import Method, Refusal


def limits(round_):
    """The fewest and the most proposals a ballot may name, as check_ballot counts them."""
    high = round_.rank_depth if round_.method == Method.RANKING else round_.max_choices
    return round_.min_choices or 1, high


def _how(round_):
    low, high = limits(round_)
    if round_.method == Method.APPROVAL:
        if low == high:
            return _("Choose %(n)d proposals.", n=low)
        return _("Choose from %(low)d to %(high)d proposals.", low=low, high=high)
    if round_.method == Method.KNAPSACK:
        return _("Choose the proposals you want to fund. Together they may cost at most %(amount)s.",
                 amount=format_money(round_.amount))
    if round_.method == Method.CUMULATIVE:
        return _("Spread your %(points)d points among the proposals you support, with + and −.", points=round_.points)
    return _("Tap the proposals in your order of preference, up to %(k)d. Tap a chosen one again to take it out.",
             k=round_.rank_depth)


def _ended_again(round_):
    if round_.channel_online:
        return _("A ballot cast after the kiosk had been ended is not counted, and its code stays unused: "
                 "that voter may vote again with the same code at another kiosk or online.")
    return _("A ballot cast after the kiosk had been ended is not counted, and its code stays unused: "
             "that voter may vote again with the same code at another kiosk.")


def texts(round_):
    """Every string the kiosk's script shows, in the current language."""
    thousand = format_number(1000)
    strings = dict(
        # the status strip
        online=_("Online"),
        offline=_("No connection: ballots are kept on this tablet and sent later."),
        waiting=_("Waiting to be sent: %(n)s"),
        staff=_("Staff"),
        staff_offline=_("Leaving kiosk mode needs the connection."),
        # the start screen
        welcome=_("Vote for your community's projects"),
        location=_("Voting place: %(name)s"),
        begin=_("Enter your code"),
        begin_hint=_("You received a voting code on a paper slip at the registration desk."),
        not_open=_("Voting is not open now."),
        not_yet=_("Voting opens at %(time)s."),
        closed=_("Voting has closed."),
        # the code
        code_title=_("Your voting code"),
        code_label=_("Voting code"),
        code_hint=_("10 letters and digits, as on your slip, e.g. ABCDE-23456. Dashes and small letters are fine."),
        code_next=_("Continue"),
        code_scan=_("Scan the QR code"),
        code_scan_hint=_("Hold the QR code of your slip in front of the camera."),
        code_scan_stop=_("Stop scanning"),
        camera_failed=_("The camera could not be used. Type the code instead."),
        code_malformed=_("This code is incomplete or has a wrong character. Check your slip."),
        code_checking=_("Checking the code…"),
        too_many=_("Too many wrong codes. Wait a minute and try again."),
        back=_("Back"),
        # the ballot
        ballot_title=_("Your ballot"),
        how=_how(round_),
        chosen=_("Chosen: %(n)s"),
        money_left=_("Money left: %(money)s"),
        total=_("Total: %(money)s"),
        points_left=_("Points left: %(n)s"),
        ranked=_("Ranked: %(n)s of %(k)s"),
        place=_("Place %(n)s"),
        points=_("%(n)s points"),
        does_not_fit=_("More than the money left"),
        point_less=_("One point less"),
        point_more=_("One point more"),
        review=_("Check my choices"),
        cancel=_("Cancel and start again"),
        # check_ballot's reasons (pb.voting.ballots), word for word
        rule_none=_("Choose at least one proposal."),
        rule_low=_("Choose at least %(n)d proposals."),
        rule_high=_("Choose at most %(n)d proposals."),
        rule_money=_("The proposals you chose cost %(total)s together, more than the %(amount)s to share. "
                     "Remove one or more."),
        rule_points=_("You gave %(spent)d points; you have %(points)d to spread."),
        rule_depth=_("Rank at most %(k)d proposals."),
        rule_places=_("Give each ranked proposal its own place: 1, 2, 3 and so on, without gaps."),
        # confirmation and receipt
        confirm_title=_("Please check your choices"),
        confirm=_("Confirm my vote"),
        change=_("Change"),
        not_saved=_("Your ballot could not be saved on this tablet. Please ask the staff for help."),
        thanks=_("Thank you for voting!"),
        receipt_label=_("Your receipt code"),
        receipt_hint=_("Write it down or take a photo: with it you can find your ballot in the public list."),
        pending=_("Saved on this tablet. It will be checked when the kiosk is online."),
        counted=_("Your ballot has been counted."),
        not_counted=_("Your ballot was not counted: %(reason)s"),
        done=_("Done"),
        closes_in=_("This screen closes in %(n)s s."),
        # idle and end
        idle_title=_("Are you still there?"),
        idle_text=_("Your unfinished ballot will be cleared in %(n)s s."),
        idle_continue=_("Continue voting"),
        ended=_("This kiosk has been ended by the staff. It takes no more ballots."),
        ended_waiting=_("Sending the ballots that wait: %(n)s. Keep this screen open until they are sent."),
        refused_title=_("Ballots refused by the server"),
        ended_again=_ended_again(round_),
        # the exit screen
        exit_sending=_("Sending the ballots that wait: %(n)s…"),
        exit_blocked=_("Leaving kiosk mode is impossible while %(n)s ballots wait to be sent. "
                       "Restore the connection, then try again."),
        exit_ready=_("Every ballot of this tablet has been sent."),
        # amounts: the script groups digits as the language does
        money=_("%(amount)s som"),
        group=thousand[1] if len(thousand) == 5 else "",
    )
    for reason in Refusal:
        strings[f"refusal_{reason.value}"] = str(reason.label)
    return strings
