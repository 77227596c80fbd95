import { BrowserRouter, Route, Routes } from 'react-router';
import { ErrorScreen } from '../components/ErrorScreen';
import { HomePage } from '../features/home/HomePage';
import { MeetingPage } from '../features/meeting/MeetingPage';
import { AccountPage } from '../features/account/AccountPage';
import { AdminPage } from '../features/admin/AdminPage';
import {
  AcceptInvitePage,
  ForgotPasswordPage,
  ResetPasswordPage,
} from '../features/auth/PasswordPages';
import { SignInPage } from '../features/auth/SignInPage';

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/m/:meetingId" element={<MeetingPage />} />
        <Route path="/signin" element={<SignInPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invite" element={<AcceptInvitePage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route
          path="*"
          element={
            <ErrorScreen title="Page not found" message="There is nothing at this address." />
          }
        />
      </Routes>
    </BrowserRouter>
  );
}
