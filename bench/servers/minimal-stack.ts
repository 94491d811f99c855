// Baseline: what a hand-written sample app does: Express + express-session's MemoryStore + an EJS page that
// reads a value from the session.
import path from 'node:path';
import express from 'express';
import session from 'express-session';

const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(__dirname));
app.use(
  session({ secret: 'bench-minimal-stack-secret-0123456789', resave: false, saveUninitialized: false }),
);
app.get('/set', (req, res) => {
  (req.session as unknown as { user: string }).user = 'Ada Lovelace';
  res.send('ok');
});
app.get('/', (req, res) =>
  res.render('minimal', { user: (req.session as unknown as { user?: string }).user ?? 'nobody' }),
);
app.listen(Number(process.env['PORT']), '127.0.0.1');
