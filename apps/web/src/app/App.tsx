import { BrowserRouter, Route, Routes } from 'react-router';
import { ErrorScreen } from '../components/ErrorScreen';
import { HomePage } from '../features/home/HomePage';
import { MeetingPage } from '../features/meeting/MeetingPage';

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/m/:meetingId" element={<MeetingPage />} />
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
