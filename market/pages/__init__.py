"""Server-rendered pages (Chinese). market.app includes every module's `router`.

URL map of the pages in this package (others add theirs: search, matching, events, chains):

- public: `/`, `/solutions`, `/solutions/{id}`, `/providers`, `/providers/{id}` (public.py)
- shared: `/login`, `/logout`, `/password` (account.py)
- provider: `/provider`, `/provider/profile`, `/provider/solutions[/new|/{id}/edit|/{id}/withdraw]`
  (provider.py), `/provider/leads[/{need_id}]` (leads.py)
- enterprise: `/enterprise`, `/enterprise/needs[/{id}/edit|/delete|/move|/sort]`,
  `/enterprise/engagements` (enterprise.py)
- bureau: `/bureau/review[/{kind}/{id}]` (bureau_review.py), `/bureau/revisions/{id}`
  (revision_review.py), `/bureau/providers|solutions[/bulk]` (bureau_manage.py),
  `/bureau/enterprises[/{id}]`, `/bureau/import`, `/bureau/export[/download]` (bureau_data.py),
  `/bureau/leads` (leads.py)

Pages decide nothing about access themselves: they ask market.permissions.
"""
