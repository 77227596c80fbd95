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
import { LegalQueuePage } from '../features/legal/LegalQueuePage';
import { LegalRequestPage } from '../features/legal/LegalRequestPage';
import { ReportsAdminPage } from '../features/transparency/ReportsAdminPage';
import { TransparencyPage } from '../features/transparency/TransparencyPage';
import { NewRequestPage } from '../features/portal/NewRequestPage';
import { PortalHomePage } from '../features/portal/PortalHomePage';
import { PortalRequestPage } from '../features/portal/PortalRequestPage';
import { RegisterPage } from '../features/portal/RegisterPage';
import { SetupPage } from '../features/portal/SetupPage';
import { VerifyEmailPage } from '../features/portal/VerifyEmailPage';

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
        <Route path="/legal" element={<LegalQueuePage />} />
        <Route path="/legal/requests/:id" element={<LegalRequestPage />} />
        <Route path="/legal/reports" element={<ReportsAdminPage />} />
        <Route path="/transparency" element={<TransparencyPage />} />
        <Route path="/legal/portal" element={<PortalHomePage />} />
        <Route path="/legal/portal/register" element={<RegisterPage />} />
        <Route path="/legal/portal/verify" element={<VerifyEmailPage />} />
        <Route path="/legal/portal/setup" element={<SetupPage />} />
        <Route path="/legal/portal/new" element={<NewRequestPage />} />
        <Route path="/legal/portal/requests/:id" element={<PortalRequestPage />} />
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
