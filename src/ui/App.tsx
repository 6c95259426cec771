/** Login until there is a token, then the shell; the toast is shown over both. */
import { useTwin } from '../state/react';
import { Login } from './Login';
import { Shell } from './Shell';
import { Toast } from './Toast';

export function App() {
  const auth = useTwin((s) => s.auth);
  return (
    <>
      {auth ? <Shell key={auth.token} auth={auth} /> : <Login />}
      <Toast />
    </>
  );
}
