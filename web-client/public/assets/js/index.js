// The start page: a hashtag in, the audience page out.

document.getElementById('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('room');
  if (!input.reportValidity()) return;
  const slug = input.value.trim().replace(/^#/, '').toLowerCase();
  location.assign(`/r/${encodeURIComponent(slug)}`);
});
