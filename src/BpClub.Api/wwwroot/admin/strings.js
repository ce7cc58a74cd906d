// Every word the operator page shows, in one place (English only: the page is for the programme's staff).

const strings = {
  skip: 'Skip to content', brand: 'BP CLUB operators',
  'nav.cards': 'Cards', 'nav.stations': 'Stations', 'nav.partners': 'Partners', 'nav.promotions': 'Promotions',
  'nav.signOut': 'Sign out',

  'signIn.title': 'Operator sign-in', 'signIn.key': 'Operator key',
  'signIn.hint': 'Kept in this tab only, until you sign out or close it.', 'signIn.submit': 'Sign in',
  'signIn.wrongKey': 'This key is not accepted. Check it and try again.',
  'signIn.notOperator': 'This is a station or partner key, not an operator key.',
  'signIn.ended': 'The operator key stopped working. Sign in again.',
  'signIn.signedOut': 'Signed out. The key is forgotten in this tab.',

  'cards.title': 'Card lookup', 'cards.number': 'Card number', 'cards.numberHint': '16 digits',
  'cards.lookUp': 'Look up', 'cards.status': 'Status', 'cards.available': 'Available', 'cards.onHold': 'On hold',
  'cards.total': 'Total', 'cards.level': 'Level', 'cards.litres': '{litres} L this month',
  'cards.phone': 'Cabinet phone', 'cards.unregistered': 'No cabinet account',
  'cards.registeredAt': 'registered {date}', 'cards.issuedAt': 'Issued', 'cards.nextRelease': 'Next release',
  'cards.noRelease': 'nothing on hold', 'cards.release': '{points} on {date}',
  'cards.operations': 'Last operations', 'cards.noOperations': 'No operations yet.',
  'op.at': 'When', 'op.kind': 'Kind', 'op.points': 'Points', 'op.what': 'What', 'op.by': 'By',

  'adjust.title': 'Manual adjustment', 'adjust.points': 'Points',
  'adjust.pointsHint': 'Positive adds points, negative takes them from the available ones.',
  'adjust.reason': 'Reason', 'adjust.reasonHint': 'The member sees it in their history. At most 200 characters.',
  'adjust.review': 'Review', 'adjust.confirmAdd': 'Add {points} points to card {card}?',
  'adjust.confirmTake': 'Take {points} points from card {card}?', 'adjust.confirmReason': 'Reason: {reason}',
  'adjust.confirm': 'Confirm adjustment', 'adjust.done': 'Adjusted by {points} points. Available now: {available}.',
  'adjust.pointsInvalid': 'A whole number, not zero.',

  'release.title': 'Release held points early', 'release.points': 'Points to release',
  'release.pointsHint': 'Leave empty to release everything on hold.', 'release.review': 'Review',
  'release.confirmAll': 'Release all held points on card {card} now?',
  'release.confirmSome': 'Release {points} held points on card {card} now?', 'release.confirm': 'Confirm release',
  'release.done': 'Released {points} points. Available now: {available}.',
  'release.pointsInvalid': 'A positive whole number, or empty for all.',
  cancel: 'Cancel',

  'stations.title': 'Stations', 'stations.id': 'Station id',
  'stations.idHint': "Letters, digits, '-' and '_', at most 32.",
  'stations.name': 'Name', 'stations.address': 'Address', 'stations.save': 'Create or update station',
  'stations.rotateTitle': 'Rotate a station key', 'stations.rotate': 'Rotate key',
  'stations.created': 'Station {id} created. Its key:',
  'stations.updated': 'Station {id} updated; its key is unchanged.',
  'stations.rotated': 'New key for station {id} (the old one stops working within seconds):',

  'partners.title': 'Partners', 'partners.id': 'Partner id', 'partners.name': 'Name',
  'partners.rate': 'Points per UAH', 'partners.rateHint': '0 to 100, at most four decimals.',
  'partners.save': 'Create or update partner', 'partners.rotateTitle': 'Rotate a partner key',
  'partners.rotate': 'Rotate key', 'partners.created': 'Partner {id} created. Its key:',
  'partners.updated': 'Partner {id} updated; its key is unchanged.',
  'partners.rotated': 'New key for partner {id} (the old one stops working within seconds):',

  'key.once': 'Shown only now: copy it and hand it over safely.', 'key.copy': 'Copy key', 'key.copied': 'Copied.',
  'key.copyFailed': 'Copying failed: select the key and copy it by hand.', 'key.done': 'Done, hide the key',
  'key.label': 'New API key',

  'promotions.title': 'Promotions', 'promotions.none': 'No promotions yet.', 'promotions.refresh': 'Refresh',
  'promo.id': 'Promotion id', 'promo.name': 'Name', 'promo.startsAt': 'Starts (your time)',
  'promo.endsAt': 'Ends (your time)', 'promo.multiplier': 'Multiplier', 'promo.multiplierHint': 'Above 1, at most 10.',
  'promo.bonus': 'Bonus points', 'promo.bonusHint': '1 to 100 000 per purchase. Give a multiplier, a bonus or both.',
  'promo.stations': 'Station ids', 'promo.products': 'Product codes', 'promo.categories': 'Categories',
  'promo.listHint': 'Comma-separated; empty for all.', 'promo.save': 'Create or replace promotion',
  'promo.saved': 'Promotion {id} saved.', 'promo.end': 'End {id} now', 'promo.ended': 'Promotion {id} ended.',
  'promo.when': 'Runs', 'promo.rule': 'Rule', 'promo.state': 'State', 'promo.actions': 'Actions',
  'promo.running': 'running', 'promo.scheduled': 'scheduled', 'promo.over': 'over',
  'promo.times': '×{multiplier}', 'promo.plus': '+{points} points', 'promo.where': 'at {stations}',
  'promo.dateInvalid': 'A date and time.',

  'error.unavailable': 'The service is not answering. Try again in a moment: nothing was changed twice.',
  'error.rateLimited': 'Too many requests. Wait a moment and try again.',
  'error.generic': 'The request failed (HTTP {status}).',
};

/** The text for a key with {name} placeholders filled in. */
export function t(key, values = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
}

/** Numbers and instants as the operator's browser shows them (the promotion form takes its local time too). */
export const formatNumber = value => new Intl.NumberFormat('en-GB').format(value);
export const formatDateTime = value =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));

/** Fills the page's fixed elements (data-text="key") from the strings above. */
export function fillTexts(root = document) {
  root.querySelectorAll('[data-text]').forEach(e => { e.textContent = t(e.dataset.text); });
}
